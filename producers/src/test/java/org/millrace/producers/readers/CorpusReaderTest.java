package org.millrace.producers.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusRole;

/** The corpus manifest as a reader: every source by its role, eval sources never. */
class CorpusReaderTest {
    @TempDir
    Path dir;

    private static CorpusManifest.Source source(String name, CorpusRole role) {
        return new CorpusManifest.Source(name, "npm", name, "1.0.0", "MIT", name, "0".repeat(64), 1, 10, 10, role,
                "text", "2024-01-01T00:00:00Z");
    }

    @Test
    void sourcesAreReadUnderTheirNameWithTheKindOfTheirRoleAndEvalIsNeverRead() throws IOException {
        Files.createDirectories(dir.resolve("essays"));
        Files.writeString(dir.resolve("essays/one.txt"), "An essay.\n");
        Files.createDirectories(dir.resolve("manual"));
        Files.writeString(dir.resolve("manual/intro.html"), "<p>Intro</p>\n");
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/notes.txt"), "code notes kept as code\n");
        Files.createDirectories(dir.resolve("quiz"));
        Files.writeString(dir.resolve("quiz/capitals.txt"), "France:Paris\n");
        new CorpusManifest(CorpusManifest.FORMAT_VERSION, List.of(source("essays", CorpusRole.WEB),
                source("manual", CorpusRole.TEXTBOOK), source("lib", CorpusRole.CODE), source("quiz", CorpusRole.EVAL),
                source("gone", CorpusRole.WEB))).write(dir);

        Collected c = Collected.read(Readers.forCorpus(dir, ReaderOptions.defaults().withSource("ignored")));
        Map<String, DocumentKind> kinds = c.documents().stream().collect(Collectors.toMap(Document::source, Document::kind));
        assertEquals(Map.of("essays", DocumentKind.WEB, "manual", DocumentKind.TEXTBOOK, "lib", DocumentKind.CODE), kinds);
        assertEquals(Document.stableId("manual", "intro.html"),
                c.documents().stream().filter(d -> d.source().equals("manual")).findFirst().orElseThrow().id());
        assertTrue(c.documents().stream().noneMatch(d -> d.text().contains("Paris")), "eval data never reaches training");
        assertEquals(1, c.skips().size(), c.skips().toString());
        assertTrue(c.skipOf("gone").reason().contains("no such file"));

        // the manifest file itself works as the path too
        assertEquals(3, Collected.read(Readers.forCorpus(dir.resolve("manifest.json"), ReaderOptions.defaults())).documents().size());
    }

    @Test
    void documentsTheEvaluationSetsHoldOutAreNeverReadInOrderOrInParts() throws IOException {
        Files.createDirectories(dir.resolve("essays/more"));
        for (int i = 0; i < 12; i++) {
            Files.writeString(dir.resolve((i % 2 == 0 ? "essays/" : "essays/more/") + "e" + i + ".txt"), "Essay number " + i + ".\n");
        }
        Files.createDirectories(dir.resolve("quiz"));
        Files.writeString(dir.resolve("quiz/capitals.txt"), "France:Paris\n");
        new CorpusManifest(CorpusManifest.FORMAT_VERSION, List.of(source("essays", CorpusRole.WEB), source("quiz", CorpusRole.EVAL)))
                .write(dir);
        java.util.Set<String> held = java.util.Set.of(Document.stableId("essays", "e4.txt"), Document.stableId("essays", "more/e7.txt"));
        DocumentReader reader = Readers.excluding(Readers.forCorpus(dir, ReaderOptions.defaults()), held);

        Collected c = Collected.read(reader);
        assertEquals(10, c.documents().size(), c.documents().toString());
        assertTrue(c.documents().stream().noneMatch(d -> held.contains(d.id())), "held-out documents never read");
        assertTrue(c.documents().stream().noneMatch(d -> d.source().equals("quiz")), "eval sources never read");
        assertEquals(2, c.skips().size(), c.skips().toString());
        assertTrue(c.skipOf("more/e7.txt").reason().contains("evaluation"), c.skips().toString());

        // the same through the parts several ingestion threads read
        List<DocumentReader> parts = reader.split();
        assertTrue(parts.size() > 1, "split into files: " + parts.size());
        List<Document> inParts = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.millrace.producers.IngestStats stats = new org.millrace.producers.Ingest(java.time.Duration.ofSeconds(1), 4,
                org.millrace.producers.IngestListener.NONE).run(reader, inParts::add);
        assertEquals(10, stats.documents());
        assertEquals(2, stats.skipped());
        assertEquals(c.documents().stream().map(Document::id).collect(Collectors.toSet()),
                inParts.stream().map(Document::id).collect(Collectors.toSet()));

        assertTrue(Readers.excluding(reader, java.util.Set.of()) == reader, "nothing to exclude: the reader itself");
    }

    @Test
    void noManifestIsAnErrorThatSaysWhatToDo() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Readers.forCorpus(dir, ReaderOptions.defaults()));
        assertTrue(e.getMessage().contains("run the corpus fetch first"), e.getMessage());
    }
}
