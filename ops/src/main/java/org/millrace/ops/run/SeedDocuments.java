package org.millrace.ops.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;

/**
 * Real documents that need no download: the project's own README, docs and Java sources under a
 * directory (the checkout {@code bin/millrace} runs from). Used when no corpus is at hand.
 */
public final class SeedDocuments {
    public static final String SOURCE = "millrace-sources";

    private SeedDocuments() {
    }

    public static List<Document> read(Path root) {
        List<Document> docs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.contains("/target/") || rel.startsWith("target/") || rel.startsWith(".") || rel.contains("/.")
                        || rel.startsWith("millrace-data") || rel.contains("node_modules")) {
                    continue;
                }
                DocumentKind kind;
                if (rel.endsWith(".md")) {
                    kind = DocumentKind.TEXTBOOK;
                } else if (rel.endsWith(".java") && rel.contains("/src/main/java/")) {
                    kind = DocumentKind.CODE;
                } else {
                    continue;
                }
                String text = Files.readString(p, StandardCharsets.UTF_8);
                docs.add(new Document(Document.stableId(SOURCE, rel), text, SOURCE, kind, rel, java.util.Map.of()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the seed documents under " + root + ": " + e.getMessage(), e);
        }
        if (docs.isEmpty()) {
            throw new IllegalStateException("no seed documents (*.md, src/main/java/**/*.java) under " + root);
        }
        return docs;
    }

    /** Whether a document is held out of training for evaluation: a stable 1 in {@code every}. */
    public static boolean heldOut(Document doc, int every) {
        return Math.floorMod(doc.id().hashCode(), every) == 0;
    }
}
