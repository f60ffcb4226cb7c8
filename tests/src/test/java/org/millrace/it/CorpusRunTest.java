package org.millrace.it;

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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.MillraceRun;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.RunSummary;
import org.millrace.ops.run.TopicReader;
import org.millrace.producers.corpus.CorpusFetcher;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusRole;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.corpus.FetchListener;
import org.millrace.producers.corpus.FetchResult;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;

/**
 * {@code millrace run} on a real corpus with a real manifest: part of the installed Python standard
 * library fetched by the corpus classes (no network) as the training source, and an evaluation-only
 * source beside it. The run publishes the corpus (the head before training, the rest while it trains),
 * never an evaluation-source document nor one the evaluation sets hold out, evaluates the held-out share
 * of the corpus; a second run on the same data directory publishes nothing again and resumes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorpusRunTest {
    private static final List<String> PACKAGES = List.of("email", "json", "xml", "http", "urllib", "logging", "concurrent",
            "wsgiref", "html");
    private static final String EVAL_SOURCE = "eval-snippets";
    private static final int HELD_OUT_EVERY = 8;

    @TempDir
    static Path dataDir;
    static Path corpusDir;
    /** Documents on the document topics after the first run. */
    static long publishedByTheFirstRun = -1;
    static final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "corpus-run"));

    private static Config config() {
        Map<String, Object> s = new HashMap<>();
        s.put("millrace.data-dir", dataDir.toString());
        s.put("millrace.run.documents", "corpus");
        s.put("millrace.run.synthetic-documents", 150);
        s.put("millrace.run.foreground-documents-per-source", 30);
        s.put("millrace.run.held-out-every", HELD_OUT_EVERY);
        s.put("millrace.run.held-out-bytes", "6 KiB");
        s.put("millrace.corpus.sources", List.of("python-stdlib"));
        s.put("millrace.corpus.python-stdlib-dir", dataDir.resolve("stdlib-part").toString());
        s.put("millrace.curation.pipeline", List.of("size", "normalize", "code-quality", "dedup"));
        s.put("millrace.eval.bpb-max-bytes", "4 KiB");
        s.put("millrace.metrics.port", 0);
        s.put("millrace.dashboard.enabled", false);
        s.put("millrace.serving.in-run", false);
        s.put("millrace.tokenizer.kind", "byte");
        s.put("millrace.model.preset", "tiny");
        s.put("millrace.model.context-length", 64);
        s.put("millrace.curation.seq-len", 64);
        s.put("millrace.trainer.max-steps", 0); // until the test stops it
        s.put("millrace.trainer.checkpoint-every", 2); // an evaluation soon after training starts
        s.put("millrace.trainer.event-every", 2);
        return ConfigFactory.parseMap(s).withFallback(Settings.load(null)).resolve();
    }

    /** A part of the installed Python standard library, fetched as the corpus fetch does, and an evaluation-only source. */
    @BeforeAll
    static void buildCorpus() throws IOException {
        Path lib;
        try (Stream<Path> libs = Files.list(Path.of("/usr/lib"))) {
            lib = libs.filter(p -> p.getFileName().toString().matches("python3\\.\\d+") && Files.isDirectory(p.resolve("json")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString().substring(8))))
                    .orElseThrow(() -> new IllegalStateException("no Python 3 standard library under /usr/lib"));
        }
        Path part = dataDir.resolve("stdlib-part");
        for (String pkg : PACKAGES) {
            copyPythonFiles(lib.resolve(pkg), part.resolve(pkg));
        }
        Files.copy(lib.resolve("os.py"), part.resolve("os.py")); // what the fetch recognises a standard library by
        Config config = config();
        CorpusSettings settings = CorpusSettings.fromConfig(config).withSources(List.of("python-stdlib"));
        FetchResult fetched = new CorpusFetcher(settings, new FetchListener() { }).fetch();
        assertEquals(Map.of(), fetched.failed(), "the installed Python needs no network");
        corpusDir = settings.corpusDir();
        Path eval = corpusDir.resolve(EVAL_SOURCE);
        copyPythonFiles(lib.resolve("ctypes"), eval);
        CorpusManifest manifest = CorpusManifest.load(corpusDir);
        manifest.with(new CorpusManifest.Source(EVAL_SOURCE, "installed", "ctypes", "1", "PSF-2.0", EVAL_SOURCE, "0".repeat(64),
                5, 50_000, 50_000, CorpusRole.EVAL, "code", "2026-01-01T00:00:00Z")).write(corpusDir);
        assertTrue(manifest.trainingSources().get(0).documents() > 60, "a corpus of real files: " + manifest.trainingSources());
    }

    private static void copyPythonFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".py") && !p.toString().contains("test")).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }

    @AfterAll
    static void stopRunner() {
        runner.shutdownNow();
    }

    @Test
    @Order(1)
    void aRunPublishesTheCorpusButNeverItsEvaluationDocumentsAndEvaluatesItsHeldOutShare() throws Exception {
        String said = runUntil(out -> out.contains("corpus: all ") && out.contains("heldout_corpus/"));
        assertTrue(said.contains("corpus: 1 training sources in"), said);
        assertTrue(said.contains("building the evaluation sets from"), said);
        assertTrue(said.contains("synthetic: 150 programmatic documents"), said);
        assertTrue(said.contains("documents published before training"), said);

        Set<String> heldOutByEvaluation = EvalSetRegistry.open(config()).heldOutIds();
        assertFalse(heldOutByEvaluation.isEmpty(), "the evaluation sets hold some Python files out");
        List<Document> corpus;
        try (Stream<Document> docs = Readers.forCorpus(corpusDir, ReaderOptions.defaults()).documents(report -> { })) {
            corpus = docs.toList();
        }
        Set<String> expected = corpus.stream().map(Document::id)
                .filter(id -> !heldOutByEvaluation.contains(id) && Math.floorMod(id.hashCode(), HELD_OUT_EVERY) != 0)
                .collect(Collectors.toSet());
        assertTrue(expected.size() < corpus.size() - heldOutByEvaluation.size(), "the run holds some of the corpus out itself");
        Set<String> evalTexts = new HashSet<>();
        try (Stream<Path> files = Files.walk(corpusDir.resolve(EVAL_SOURCE))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                evalTexts.add(Files.readString(f));
            }
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir))) {
            Map<String, Object> kafka = KafkaClients.properties(config(), broker.bootstrapServers(), Map.of());
            Topics topics = Topics.fromConfig(config());
            List<Document> published = documents(kafka, topics.docsWeb());
            List<Document> fromCorpus = published.stream().filter(d -> d.source().equals("python-stdlib")).toList();
            assertEquals(expected, fromCorpus.stream().map(Document::id).collect(Collectors.toSet()),
                    "every training document of the corpus but the held-out ones");
            assertEquals(fromCorpus.size(), expected.size(), "each once");
            assertTrue(published.stream().noneMatch(d -> d.source().equals(EVAL_SOURCE) || evalTexts.contains(d.text())),
                    "evaluation sources are never read");
            assertEquals(150, documents(kafka, topics.docsSynthetic()).size());
            publishedByTheFirstRun = published.size() + 150;

            List<EvalResult> heldOut = TopicReader.readAll(kafka, topics.evalResults(), Duration.ofSeconds(30)).stream()
                    .map(r -> Json.read(r.value(), EvalResult.class)).filter(r -> r.task().equals("heldout_corpus")).toList();
            assertFalse(heldOut.isEmpty(), "the corpus's held-out share is evaluated");
            assertTrue(heldOut.stream().allMatch(r -> Double.isFinite(r.value())), heldOut.toString());
        }
    }

    @Test
    @Order(2)
    void aSecondRunPublishesNothingAgainAndResumes() throws Exception {
        assertTrue(publishedByTheFirstRun > 0, "the first run ran");
        String said = runUntil(out -> out.contains("heldout_corpus/"));
        assertFalse(said.contains("fetching the default corpus"), said);
        assertFalse(said.contains("building the evaluation sets"), said);
        assertTrue(said.contains("synthetic: 150 programmatic documents already published; not again"), said);
        assertTrue(said.contains("corpus: 0 documents published before training"), said);
        assertFalse(said.contains("in the background"), "a published corpus is not read again: " + said);
        assertEquals(publishedByTheFirstRun, publishedCount(), "a second run publishes nothing again");
    }

    private static long publishedCount() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir))) {
            Map<String, Object> kafka = KafkaClients.properties(config(), broker.bootstrapServers(), Map.of());
            Topics topics = Topics.fromConfig(config());
            long n = 0;
            for (String topic : List.of(topics.docsWeb(), topics.docsSynthetic())) {
                n += TopicReader.readAll(kafka, topic, Duration.ofSeconds(30)).size();
            }
            return n;
        }
    }

    private static List<Document> documents(Map<String, Object> kafka, String topic) {
        return TopicReader.readAll(kafka, topic, Duration.ofSeconds(30)).stream().map(r -> DocumentCodec.decode(r.value())).toList();
    }

    /** Runs {@code millrace run} until its output satisfies {@code done} (polled), then stops it as Ctrl-C does; returns the output. */
    private static String runUntil(java.util.function.Predicate<String> done) throws Exception {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        MillraceRun run = new MillraceRun(new MillraceRun.Options(config(), dataDir, Path.of("..").toAbsolutePath().normalize()),
                new ProgressLine(new PrintStream(terminal, true, StandardCharsets.UTF_8)));
        long t0 = System.nanoTime();
        Future<RunSummary> finished = runner.submit(() -> {
            RunSummary summary = run.execute();
            System.out.printf("run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            return summary;
        });
        BooleanSupplier output = () -> done.test(terminal.toString(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try {
            while (!output.getAsBoolean()) {
                if (finished.isDone()) {
                    finished.get(); // its failure, if any
                    throw new AssertionError("the run ended early:\n" + terminal.toString(StandardCharsets.UTF_8));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not within 120 s:\n" + terminal.toString(StandardCharsets.UTF_8));
                }
                Thread.sleep(100);
            }
        } finally {
            run.requestStop();
        }
        RunSummary summary = finished.get(120, TimeUnit.SECONDS);
        String said = terminal.toString(StandardCharsets.UTF_8);
        System.out.println(said);
        assertTrue(summary.steps() > 0, "it trained: " + summary + "\n" + said);
        return said;
    }
}
