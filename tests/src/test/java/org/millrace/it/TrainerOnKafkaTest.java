package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.broker.TopicBootstrap;
import org.millrace.ops.broker.TopicSpec;
import org.millrace.ops.run.BatchSeeder;
import org.millrace.ops.run.SeedDocuments;
import org.millrace.processing.CurationSettings;
import org.millrace.training.TrainerIo;
import org.millrace.training.TrainerSettings;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointCompatibility;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.feed.BatchFeed;
import org.millrace.training.feed.FedBatch;
import org.millrace.training.feed.FeedStart;
import org.millrace.training.model.GptTrainer;

/**
 * The trainer on the embedded broker, on batches of real text (licence texts and the project's own documents
 * and sources, curated and packed by the real Curator): exactly-once training across crashes (20 steps
 * uninterrupted against 10 steps, a crash, and 10 more: identical parameters, every batch trained on once in
 * the checkpoint lineage), the per-bucket feed, and {@code millrace train}.
 */
class TrainerOnKafkaTest {
    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;
    private static Map<String, Object> kafka;
    private static Topics topics;
    private static Map<String, Integer> published;

    private static Config config() {
        return ConfigFactory.parseString("""
                        millrace.topics.prefix = "it-train"
                        millrace.model { preset = tiny, threads = 1, seed = 3 }
                        # packing only: the filters and the classifier have tests of their own
                        millrace.curation { seq-len = 64, rows-per-batch = 8, pipeline = [size] }
                        millrace.optim { learning-rate = 1e-2, min-learning-rate = 1e-3, warmup-steps = 3, decay-end-step = 40 }
                        millrace.trainer { checkpoint-every = 10, event-every = 5, dry-wait = 500ms, seed = 11, prefetch = 4 }
                        millrace.curriculum {
                          on-dry = wait
                          phases = [ { name = mix, tokens = 0, weights { textbook = 1, code = 1 } } ]
                        }
                        """)
                .withFallback(ConfigFactory.parseMap(Map.of("millrace.data-dir", dataDir.toString())))
                .withFallback(Settings.load(null)).resolve();
    }

    @BeforeAll
    static void publishBatchesOfRealText() throws Exception {
        broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir.resolve("kafka-it")));
        Config config = config();
        kafka = KafkaClients.properties(config, broker.bootstrapServers(), Map.of());
        topics = Topics.fromConfig(config);
        List<TopicSpec> specs = new ArrayList<>();
        topics.batchTopics().forEach(t -> specs.add(TopicSpec.of(t, 1)));
        specs.add(TopicSpec.of(topics.trainEvents(), 1));
        specs.add(TopicSpec.of(topics.curriculum(), 1));
        try (Admin admin = Admin.create(kafka)) {
            TopicBootstrap.ensure(admin, specs);
        }
        List<Document> documents = realText();
        published = BatchSeeder.publish(kafka, CurationSettings.fromConfig(config, topics), topics, new ByteTokenizer(), documents, 16);
        assertTrue(published.getOrDefault("textbook", 0) > 40 && published.getOrDefault("code", 0) > 40, "batches: " + published);
    }

    /**
     * Prose: the licence texts every Debian system ships (/usr/share/common-licenses) and the project's own
     * Markdown, as textbook documents; code: the project's Java sources. About 100 batches per bucket.
     */
    private static List<Document> realText() throws java.io.IOException {
        List<Document> documents = new ArrayList<>();
        Path licences = Path.of("/usr/share/common-licenses");
        try (var files = java.nio.file.Files.list(licences)) {
            for (Path f : files.filter(p -> !java.nio.file.Files.isSymbolicLink(p)).sorted().toList()) {
                documents.add(new Document(Document.stableId("common-licenses", f.getFileName().toString()),
                        java.nio.file.Files.readString(f), "common-licenses", DocumentKind.TEXTBOOK, f.toString(), Map.of()));
            }
        }
        int code = 0;
        for (Document d : SeedDocuments.read(Path.of("..").toAbsolutePath().normalize())) {
            if (d.kind() == DocumentKind.TEXTBOOK || code < 60_000) {
                documents.add(d);
                code += d.kind() == DocumentKind.CODE ? d.text().length() : 0;
            }
        }
        return documents;
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A mixture sent on the curriculum topic before training: code only from step 15 (the 16th step) on. */
    private static void sendCodeOnlyFromStep15(String run) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topics.curriculum(), run, Json.write(new CurriculumUpdate(Map.of("code", 1.0), 15))));
        }
    }

    /** What one incarnation of a trainer did. */
    private record Incarnation(GptTrainer trainer, List<TrainingLoop.StepReport> steps) {
    }

    /** Trains until max-steps, or until the crash step: the process dies there, with no last checkpoint. */
    private static Incarnation train(String run, long maxSteps, long crashAtStep, boolean crashAfterCheckpoint, Config config) {
        TrainerSettings settings = TrainerSettings.fromConfig(config).withRun(run).withMaxSteps(maxSteps);
        GptTrainer trainer = GptTrainer.fromConfig(config, ByteTokenizer.END_OF_TEXT + 1);
        List<TrainingLoop.StepReport> steps = new ArrayList<>();
        TrainingLoop loop = new TrainingLoop(settings, trainer, ByteTokenizer.NAME, topics, TrainerIo.kafka(kafka, topics, settings),
                dataDir.resolve("checkpoints"), new TrainingLoop.Listener() {
                    @Override
                    public void onStep(TrainingLoop.StepReport report) {
                        steps.add(report);
                        if (report.step() == crashAtStep && !crashAfterCheckpoint) {
                            throw new SimulatedCrash(report.step());
                        }
                    }

                    @Override
                    public void onCheckpoint(Path checkpoint, CheckpointManifest manifest) {
                        if (manifest.step() == crashAtStep && crashAfterCheckpoint) {
                            throw new SimulatedCrash(manifest.step());
                        }
                    }
                });
        try {
            loop.run();
        } catch (SimulatedCrash crash) {
            assertEquals(crashAtStep, crash.step);
        }
        return new Incarnation(trainer, steps);
    }

    private static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long step;

        SimulatedCrash(long step) {
            super("simulated crash at step " + step);
            this.step = step;
        }
    }

    private static List<String> ids(List<TrainingLoop.StepReport> steps) {
        return steps.stream().map(TrainingLoop.StepReport::batchId).toList();
    }

    private static void assertSameParameters(GptTrainer expected, GptTrainer actual, String what) {
        for (Pair<String, Parameter> p : expected.model().getParameters()) {
            NDArray other = actual.model().getParameters().get(p.getKey()).getArray();
            assertTrue(p.getValue().getArray().contentEquals(other), what + ": parameter " + p.getKey() + " differs");
        }
    }

    @Test
    void aResumedRunTrainsEveryBatchOnceAndEndsWithTheUninterruptedRunsParameters() {
        Config config = config();
        for (String run : List.of("straight", "crash-after-checkpoint", "crash-past-checkpoint")) {
            sendCodeOnlyFromStep15(run);
        }
        Incarnation straight = train("straight", 20, -1, false, config);
        List<String> expected = ids(straight.steps());
        assertEquals(20, expected.size());
        assertEquals(20, new HashSet<>(expected).size(), "20 different batches");
        assertTrue(expected.subList(15, 20).stream().allMatch(id -> id.contains("-code-")),
                "the live mixture (code only from step 15) is in force: " + expected);
        assertTrue(expected.subList(0, 15).stream().anyMatch(id -> id.contains("-textbook-")), expected.toString());

        double first = straight.steps().get(0).loss();
        double last = straight.steps().subList(17, 20).stream().mapToDouble(TrainingLoop.StepReport::loss).average().orElseThrow();
        System.out.printf("loss on real text, 20 steps: %.3f -> %.3f (mean of the last 3)%n", first, last);
        assertEquals(Math.log(257), first, 0.3, "a fresh model starts near ln(vocab)");
        assertTrue(last < 0.7 * first, "loss falls well below its start on real text: " + first + " → " + last);

        // 10 steps, a crash right after the step-10 checkpoint, resume, 10 more
        Incarnation before = train("crash-after-checkpoint", 20, 10, true, config);
        Incarnation after = train("crash-after-checkpoint", 10, -1, false, config);
        assertEquals(11, after.steps().get(0).step(), "resumed after step 10");
        List<String> lineage = new ArrayList<>(ids(before.steps()).subList(0, 10));
        lineage.addAll(ids(after.steps()));
        assertEquals(expected, lineage, "every batch once, in the uninterrupted run's order");
        assertSameParameters(straight.trainer(), after.trainer(), "crash after the checkpoint");

        // 14 steps, a crash 4 steps past the step-10 checkpoint, resume from step 10, 10 more
        Incarnation crashed = train("crash-past-checkpoint", 20, 14, false, config);
        assertEquals(14, crashed.steps().size());
        Incarnation resumed = train("crash-past-checkpoint", 10, -1, false, config);
        assertEquals(11, resumed.steps().get(0).step(), "steps 11-14 of the crashed process are not in the lineage");
        List<String> lineage2 = new ArrayList<>(ids(crashed.steps()).subList(0, 10));
        lineage2.addAll(ids(resumed.steps()));
        assertEquals(expected, lineage2, "the batches of steps 11-14 are trained again, once, after the resume");
        assertSameParameters(straight.trainer(), resumed.trainer(), "crash past the checkpoint");

        for (Incarnation i : List.of(straight, before, after, crashed, resumed)) {
            i.trainer().close();
        }
    }

    @Test
    void theFeedServesEachBucketFromItsOwnQueueRepeatsDryOnesAndFreesEveryBatch() throws Exception {
        Map<String, String> lanes = new java.util.LinkedHashMap<>();
        for (String bucket : List.of("textbook", "code", "web")) {
            lanes.put(bucket, topics.batches(bucket));
        }
        int codeBatches = published.get("code");
        long maxBatchBytes = 0;
        try (BatchFeed feed = new BatchFeed(kafka, lanes, FeedStart.beginning(), 2, true, java.time.Duration.ofMillis(300))) {
            java.util.Set<Integer> epochs = new java.util.TreeSet<>();
            java.util.Set<String> ids = new HashSet<>();
            for (int i = 0; i < codeBatches + 5; i++) { // one pass over code and into the next: textbook waits, paused
                try (FedBatch b = take(feed, "code")) {
                    assertEquals("code", b.bucket());
                    assertEquals("code", b.batch().bucket());
                    epochs.add(b.epoch());
                    if (b.epoch() == 0) {
                        assertTrue(ids.add(b.batch().batchId()), "each batch once per epoch");
                    }
                    maxBatchBytes = Math.max(maxBatchBytes, feed.allocatedBytes());
                }
            }
            assertEquals(codeBatches, ids.size(), "the whole bucket, once");
            assertEquals(java.util.Set.of(0, 1), epochs, "the dry bucket started over");
            try (FedBatch t = take(feed, "textbook")) {
                assertEquals("textbook", t.bucket());
                assertTrue(t.batch().batchId().endsWith("-textbook-0"), t.batch().batchId());
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!feed.isDry("web")) {
                assertTrue(System.nanoTime() < deadline, "a bucket without batches counts as dry");
                Thread.onSpinWait();
            }
            assertTrue(feed.allocatedBytes() <= maxBatchBytes, "Arrow memory stays bounded by the prefetch queues: "
                    + feed.allocatedBytes() + " > " + maxBatchBytes);
        }
    }

    private static FedBatch take(BatchFeed feed, String bucket) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        FedBatch b;
        while ((b = feed.next(bucket, java.time.Duration.ofMillis(200))) == null) {
            assertTrue(System.nanoTime() < deadline, "no " + bucket + " batch within 30 s");
        }
        return b;
    }

    @Test
    void millraceTrainRunsTheTrainerRoleAgainstAnExistingBroker() throws Exception {
        Path settings = dataDir.resolve("train-cli.conf");
        java.nio.file.Files.writeString(settings, """
                millrace.topics.prefix = "it-train"
                millrace.metrics.port = 0
                millrace.model { preset = tiny, threads = 1 }
                millrace.curriculum { phases = [ { name = mix, tokens = 0, weights { textbook = 1, code = 1 } } ] }
                """);
        Path cliData = dataDir.resolve("cli");
        int exit = org.millrace.ops.Main.execute("train", "--bootstrap-servers", broker.bootstrapServers(), "--data-dir",
                cliData.toString(), "--config", settings.toString(), "--max-steps", "3", "--run-id", "cli");
        assertEquals(0, exit);
        CheckpointManifest m = org.millrace.training.checkpoint.CheckpointStore.readManifest(
                cliData.resolve("checkpoints").resolve("cli").resolve("step-00000003"));
        assertEquals(3, m.step());
        assertEquals(m.tokens(), m.curriculum().bucketTokens().values().stream().mapToLong(Long::longValue).sum(),
                "tokens per bucket add up to the tokens trained");
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedNamingTheDifference() {
        train("for-another-model", 2, -1, false, config()).trainer().close();
        Config wider = ConfigFactory.parseString("millrace.model.d-model = 96").withFallback(config());
        String message = assertThrows(CheckpointCompatibility.CheckpointMismatchException.class,
                () -> train("for-another-model", 2, -1, false, wider)).getMessage();
        assertTrue(message.contains("model dModel is 64 in the checkpoint, 96 here"), message);
    }
}
