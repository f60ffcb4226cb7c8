package org.millrace.ops.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.common.evalsets.EvalSetManifest;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.HeldOutDocument;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.OneBroker;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusRole;

/**
 * What a run feeds: the corpus's training sources (never its evaluation sources, never the held-out
 * documents), a first batch of programmatic synthetic documents, each published once per data
 * directory; and the seed documents, saying why, when the corpus cannot be fetched.
 */
@ExtendWith(OneBroker.class)
class RunDocumentsTest {
    @TempDir
    Path tmp;

    private Config config(String prefix, Path corpus, Map<String, Object> more, EmbeddedKafkaBroker broker) {
        Map<String, Object> m = new HashMap<>(Map.of("millrace.data-dir", tmp.resolve("data").toString(),
                "millrace.corpus.dir", corpus.toString(), "millrace.topics.prefix", prefix,
                "millrace.kafka.bootstrap-servers", broker.bootstrapServers(), "millrace.run.synthetic-documents", 25,
                "millrace.run.foreground-documents-per-source", 5, "millrace.run.held-out-every", 4));
        m.putAll(more);
        return ConfigFactory.parseMap(m).withFallback(Settings.load(null)).resolve();
    }

    private Path corpus() throws IOException {
        Path dir = tmp.resolve("corpus");
        for (int i = 0; i < 30; i++) {
            Files.createDirectories(dir.resolve("notes"));
            Files.writeString(dir.resolve("notes/note-" + i + ".md"), "# Note " + i + "\n\nWhat note " + i + " teaches.\n");
        }
        for (int i = 0; i < 20; i++) {
            Files.createDirectories(dir.resolve("code"));
            Files.writeString(dir.resolve("code/mod_" + i + ".py"), "def f" + i + "():\n    return " + i + "\n");
        }
        Files.createDirectories(dir.resolve("quiz"));
        Files.writeString(dir.resolve("quiz/capitals"), "France:Paris\nPeru:Lima\n");
        String now = "2025-01-01T00:00:00Z";
        new CorpusManifest(CorpusManifest.FORMAT_VERSION, List.of(
                new CorpusManifest.Source("notes", "test", "notes", "1", "CC0", "notes", "0", 30, 900, 900, CorpusRole.TEXTBOOK, "md", now),
                new CorpusManifest.Source("code", "test", "code", "1", "CC0", "code", "0", 20, 600, 600, CorpusRole.CODE, "code", now),
                new CorpusManifest.Source("quiz", "test", "quiz", "1", "CC0", "quiz", "0", 2, 20, 20, CorpusRole.EVAL, "quiz", now)))
                .write(dir);
        return dir;
    }

    private static List<Document> read(Map<String, Object> props, String topic) {
        return TopicReader.readAll(props, topic, Duration.ofSeconds(30)).stream().map(r -> DocumentCodec.decode(r.value())).toList();
    }

    private static RunDocuments.Feed start(Config config, Path seedRoot, ByteArrayOutputStream terminal) throws Exception {
        Topics topics = Topics.fromConfig(config);
        try (KafkaConnection kafka = KafkaConnection.open(config, Path.of(config.getString("millrace.data-dir")))) {
            kafka.ensureTopics(topics);
            return RunDocuments.prepare(config, Path.of(config.getString("millrace.data-dir")), seedRoot,
                    new ProgressLine(new PrintStream(terminal, true, StandardCharsets.UTF_8))).start(kafka.clientProperties(), topics);
        }
    }

    @Test
    void theCorpusAndASyntheticBatchArePublishedOnceWithoutHeldOutOrEvaluationDocuments(EmbeddedKafkaBroker broker) throws Exception {
        Path corpus = corpus();
        Config config = config("feed", corpus, Map.of(), broker);
        Map<String, Object> props = KafkaClients.properties(config, broker.bootstrapServers(), Map.of());
        Map<String, String> expected = new HashMap<>();
        Map<String, String> heldOut = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String id = Document.stableId("notes", "note-" + i + ".md");
            (Math.floorMod(id.hashCode(), 4) == 0 ? heldOut : expected).put(id, "# Note " + i + "\n\nWhat note " + i + " teaches.\n");
        }
        for (int i = 0; i < 20; i++) {
            String id = Document.stableId("code", "mod_" + i + ".py");
            (Math.floorMod(id.hashCode(), 4) == 0 ? heldOut : expected).put(id, "def f" + i + "():\n    return " + i + "\n");
        }
        assertFalse(heldOut.isEmpty());
        // two documents an evaluation set holds out: never published, nor evaluated as the run's own held-out text
        List<String> keptForEval = expected.keySet().stream().sorted().limit(2).toList();
        List<HeldOutDocument> registryHeldOut = keptForEval.stream().map(id -> new HeldOutDocument(id, "notes", "?", "bpb_notes")).toList();
        EvalSetRegistry.write(tmp.resolve("data/eval"), new EvalSetManifest(EvalSetManifest.FORMAT_VERSION, 1, 1, "2025-01-01T00:00:00Z",
                Map.of(), Map.of(), List.of(), null, null), Map.of(), registryHeldOut, List.of());
        keptForEval.forEach(expected::remove);

        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        List<String> evaluated;
        try (RunDocuments.Feed feed = start(config, tmp.resolve("no-seeds"), terminal)) {
            assertEquals("heldout_corpus", feed.heldOutTask());
            evaluated = feed.heldOut();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read(props, "feed.docs.web").size() < expected.size() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the background publisher is working; reading the topic is the poll
            }
        }
        List<Document> web = read(props, "feed.docs.web");
        assertEquals(expected, web.stream().collect(Collectors.toMap(Document::id, Document::text)), "every training document once");
        assertFalse(evaluated.isEmpty());
        assertTrue(heldOut.values().containsAll(evaluated), "the evaluated texts are held-out documents");
        assertTrue(web.stream().noneMatch(d -> d.text().contains("Paris")), "evaluation sources are never read");

        List<Document> synthetic = read(props, "feed.docs.synthetic");
        assertEquals(IntStream.range(0, 25).mapToObj(i -> Document.stableId("synth-programmatic", "1/" + i)).collect(Collectors.toSet()),
                synthetic.stream().map(Document::id).collect(Collectors.toSet()));
        String said = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("synthetic: 25 programmatic documents"), said);
        assertTrue(said.contains("corpus: all 50 documents read, " + expected.size() + " published by this run, 2 kept for the evaluation sets"),
                said);

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        try (RunDocuments.Feed feed = start(config, tmp.resolve("no-seeds"), again)) {
            assertEquals(evaluated, feed.heldOut(), "the same held-out set on every run");
        }
        assertEquals(web.size(), read(props, "feed.docs.web").size(), "a second run publishes nothing again");
        assertEquals(25, read(props, "feed.docs.synthetic").size());
        assertTrue(again.toString(StandardCharsets.UTF_8).contains("0 documents published before training"), again.toString());
    }

    @Test
    void whenTheCorpusCannotBeFetchedTheRunFallsBackToTheSeedDocumentsAndSaysWhy(EmbeddedKafkaBroker broker) throws Exception {
        Path seeds = tmp.resolve("checkout");
        Files.createDirectories(seeds.resolve("mod/src/main/java/x"));
        for (int i = 0; i < 12; i++) {
            Files.writeString(seeds.resolve("doc-" + i + ".md"), "# Doc " + i + "\n");
        }
        Files.writeString(seeds.resolve("mod/src/main/java/x/A.java"), "package x;\nclass A {}\n");
        Config config = config("fallback", tmp.resolve("empty-corpus"), Map.of("millrace.corpus.sources", List.of("spam-assassin"),
                "millrace.corpus.tools.npm", tmp.resolve("no-npm-here").toString()), broker);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        try (RunDocuments.Feed feed = start(config, seeds, terminal)) {
            assertEquals("heldout_" + SeedDocuments.SOURCE, feed.heldOutTask());
        }
        String said = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("spam-assassin"), said);
        assertTrue(said.contains("training on the Millrace checkout's own documents instead"), said);
        Map<String, Object> props = KafkaClients.properties(config, broker.bootstrapServers(), Map.of());
        Set<String> sources = read(props, "fallback.docs.web").stream().map(Document::source).collect(Collectors.toSet());
        assertEquals(Set.of(SeedDocuments.SOURCE), sources);
        assertEquals(25, read(props, "fallback.docs.synthetic").size(), "the synthetic documents are added to the seed documents");
    }

    @Test
    void theTokenizerSampleTakesAShareOfEverySourceAndNoHeldOutDocument(EmbeddedKafkaBroker broker) throws Exception {
        Config config = config("sample", corpus(), Map.of(), broker);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        RunDocuments documents = RunDocuments.prepare(config, tmp.resolve("data"), tmp.resolve("no-seeds"),
                new ProgressLine(new PrintStream(terminal, true, StandardCharsets.UTF_8)));
        assertTrue(documents.fromCorpus());
        org.millrace.ops.tokenizer.TextSample sample = documents.tokenizerSample(1 << 20);
        assertTrue(sample.texts().stream().anyMatch(t -> t.startsWith("# Note")), "notes in the sample");
        assertTrue(sample.texts().stream().anyMatch(t -> t.startsWith("def f")), "code in the sample");
        long corpusTexts = sample.texts().stream().filter(t -> t.startsWith("# Note") || t.startsWith("def f")).count();
        assertTrue(sample.texts().size() > corpusTexts, "synthetic documents in the sample too: " + sample.texts().size());
        assertTrue(sample.texts().stream().noneMatch(t -> t.contains("Paris")), "evaluation sources are never sampled");
        for (int i = 0; i < 30; i++) {
            String id = Document.stableId("notes", "note-" + i + ".md");
            if (Math.floorMod(id.hashCode(), 4) == 0) {
                String text = "# Note " + i + "\n\nWhat note " + i + " teaches.\n";
                assertFalse(sample.texts().contains(text), "held-out note " + i + " sampled");
            }
        }
    }
}
