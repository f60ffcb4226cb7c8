package org.millrace.producers.readers.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.millrace.producers.readers.ReaderOptions;

/**
 * An input cut into files that can be read independently: the files a {@link DirectoryCursor} would
 * visit (same order rules, same relative paths, hence the same ids), each read by the reader of its type.
 */
public final class FileUnits {
    private FileUnits() {
    }

    /**
     * One file to read.
     *
     * @param file    the file (or a directory that could not be listed: reading it reports why)
     * @param rel     its path relative to the input root: the locator of its ids
     * @param size    bytes, for largest-first scheduling
     * @param options the read's options
     * @param source  resolved source name
     * @param top     true for the input itself (read by {@link Formats#openPath}, which reports a missing path)
     */
    public record Unit(Path file, String rel, long size, ReaderOptions options, String source, boolean top, int part, int parts) {
        Unit(Path file, String rel, long size, ReaderOptions options, String source, boolean top) {
            this(file, rel, size, options, source, top, 0, 1);
        }

        public Cursor open(org.millrace.producers.readers.SkipListener skips) {
            ReadContext ctx = new ReadContext(options, source, skips);
            Cursor c;
            if (parts > 1) {
                c = new ArchiveCursor(file, rel, ctx, part, parts);
            } else if (top || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                c = Formats.openPath(file, ctx);
            } else {
                c = Formats.open(file, rel, FileType.of(file.getFileName().toString()), ctx);
                if (c == null) {
                    ctx.skip(file.toString(), 0, "not a file type Millrace reads (by its name)");
                }
            }
            return c == null ? Cursor.empty(file.toString()) : c;
        }
    }

    /**
     * The units of {@code path}: its files when it is a directory, else the path itself; a large zip or
     * jar archive is cut into parts of about {@link #ARCHIVE_PART_BYTES} (every k-th entry), so that one
     * archive does not keep a single thread busy after the others are done.
     */
    public static List<Unit> of(Path path, ReaderOptions options, String source) {
        List<Unit> units = new ArrayList<>();
        if (!Files.isDirectory(path)) {
            units.add(new Unit(path, path.getFileName() == null ? path.toString() : path.getFileName().toString(),
                    sizeOf(path), options, source, true));
        } else {
            walk(path, path, options, source, units);
        }
        List<Unit> cut = new ArrayList<>();
        for (Unit u : units) {
            int parts = (int) Math.min(64, u.size() / ARCHIVE_PART_BYTES + 1);
            if (parts > 1 && FileType.of(u.file().getFileName().toString()) == FileType.ARCHIVE) {
                for (int p = 0; p < parts; p++) {
                    cut.add(new Unit(u.file(), u.rel(), u.size() / parts, u.options(), u.source(), u.top(), p, parts));
                }
            } else {
                cut.add(u);
            }
        }
        return cut;
    }

    /** Compressed bytes of an archive read by one thread. */
    static final long ARCHIVE_PART_BYTES = 4L * 1024 * 1024;

    private static void walk(Path root, Path dir, ReaderOptions options, String source, List<Unit> units) {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        } catch (IOException | RuntimeException e) {
            units.add(new Unit(dir, root.relativize(dir).toString(), 0, options, source, false)); // reading it reports why
            return;
        }
        for (Path p : children) {
            if (p.getFileName().toString().startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                walk(root, p, options, source, units);
            } else {
                units.add(new Unit(p, root.relativize(p).toString().replace('\\', '/'), sizeOf(p), options, source, false));
            }
        }
    }

    /** Largest first: long units start early, so that the threads finish together. */
    public static List<Unit> largestFirst(List<Unit> units) {
        List<Unit> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparingLong(Unit::size).reversed());
        return sorted;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
