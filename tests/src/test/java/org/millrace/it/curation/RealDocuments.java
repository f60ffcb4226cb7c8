package org.millrace.it.curation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.producers.readers.DocumentReader;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipListener;

/**
 * Real documents of mixed quality that every machine of this project has: the Python standard
 * library's sources (code) and the Debian documentation under /usr/share/doc (HTML manuals, READMEs,
 * release notes, many identical licence texts), read by the project's own readers.
 */
public final class RealDocuments {
    private RealDocuments() {
    }

    /** The first {@code limit} documents, in a stable order (the readers walk directories sorted). */
    public static List<Document> read(int limit) {
        List<Path> roots = new ArrayList<>();
        roots.add(pythonStdlib());
        roots.add(Path.of("/usr/share/doc"));
        for (Path p : roots) {
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("real test documents are read from " + p + ", which is missing");
            }
        }
        // Half from each root, so that code, HTML and prose are all in the sample.
        List<Document> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int each = (limit + 1) / 2;
        for (Path root : List.of(roots.get(1), roots.get(0))) {
            DocumentReader reader = Readers.forPath(root, ReaderOptions.defaults());
            try (Stream<Document> docs = reader.documents(SkipListener.IGNORE)) {
                docs.filter(d -> ids.add(d.id())).limit(Math.min(each, limit - out.size())).forEach(out::add);
            }
        }
        return out;
    }

    private static Path pythonStdlib() {
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
            return dirs.filter(p -> p.getFileName().toString().matches("python3\\.\\d+") && Files.exists(p.resolve("os.py")))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new IllegalStateException("no Python standard library under /usr/lib"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
