package org.millrace.producers.corpus.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * SHA-256 and sizes of a stored source. A file's hash is the SHA-256 of its bytes; a directory's is
 * the SHA-256 of the lines {@code "<sha256 of file>  <relative path>\n"} in path order — what
 * {@code find . -type f | LC_ALL=C sort | xargs sha256sum} prints, without the leading "./" —
 * so anyone can check it with standard tools.
 */
public final class TreeHash {
    private TreeHash() {
    }

    public static String sha256(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return fileSha256(path);
        }
        MessageDigest tree = digest();
        for (Path f : files(path)) {
            String rel = path.relativize(f).toString().replace('\\', '/');
            tree.update((fileSha256(f) + "  " + rel + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(tree.digest());
    }

    /** Bytes on disk of every file. */
    public static long diskBytes(Path path) throws IOException {
        long n = 0;
        for (Path f : files(path)) {
            n += Files.size(f);
        }
        return n;
    }

    /** Bytes of content: file sizes, and for zip and jar files the uncompressed size of their entries. */
    public static long contentBytes(Path path) throws IOException {
        long n = 0;
        for (Path f : files(path)) {
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".zip") || name.endsWith(".jar")) {
                try (ZipFile zip = new ZipFile(f.toFile())) {
                    Enumeration<? extends ZipEntry> e = zip.entries();
                    while (e.hasMoreElements()) {
                        n += Math.max(0, e.nextElement().getSize());
                    }
                }
            } else {
                n += Files.size(f);
            }
        }
        return n;
    }

    /** Regular files under {@code path} (or {@code path} itself), sorted by relative path. */
    static List<Path> files(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .sorted((a, b) -> path.relativize(a).toString().compareTo(path.relativize(b).toString()))
                    .collect(Collectors.toList());
        }
    }

    private static String fileSha256(Path file) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
