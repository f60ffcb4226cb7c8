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
 * Real documents of mixed quality that every machine of this project has: the Debian documentation
 * under /usr/share/doc (HTML manuals, READMEs, release notes, many identical licence texts) and the
 * Python standard library's sources (code), read by the project's own readers.
 */
public final class RealDocuments {
    private RealDocuments() {
    }

    /**
     * Up to {@code limit} documents of at most {@code maxChars} characters each, about three in four
     * from the Debian documentation and the rest from the Python library, in a stable order (the
     * readers walk directories sorted).
     */
    public static List<Document> read(int limit, int maxChars) {
        Path docs = Path.of("/usr/share/doc");
        if (!Files.isDirectory(docs)) {
            throw new IllegalStateException("real test documents are read from " + docs + ", which is missing");
        }
        List<Document> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        take(docs, limit * 3 / 4, maxChars, ids, out);
        take(pythonStdlib(), limit - out.size(), maxChars, ids, out);
        return out;
    }

    private static void take(Path root, int n, int maxChars, Set<String> ids, List<Document> out) {
        DocumentReader reader = Readers.forPath(root, ReaderOptions.defaults());
        try (Stream<Document> docs = reader.documents(SkipListener.IGNORE)) {
            docs.filter(d -> d.text().length() <= maxChars && ids.add(d.id())).limit(n).forEach(out::add);
        }
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
