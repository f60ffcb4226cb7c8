package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
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
import org.millrace.training.LineageLog;
import org.millrace.training.checkpoint.CheckpointFault;
import org.millrace.training.checkpoint.CheckpointStore;

/**
 * {@code millrace train} as a child JVM on a real broker, on batches of real text packed by the real Curator,
 * killed and restarted: SIGKILL in the middle of training, an injected halt in the middle of a checkpoint write
 * ({@link CheckpointFault}), an injected full disk at the next checkpoint, and a last incarnation that finishes.
 * The run's lineage (its {@link LineageLog}) must then be exactly the uninterrupted reference run's: the same
 * batches, from the same partitions and offsets, in the same order, with the same losses; a half-written
 * checkpoint is never loaded, and is removed with a log line.
 */
class TrainerCrashTest {
    private static final int STEPS = 20;
    private static final String PREFIX = "it-crash";

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static Path settingsFile;
    private static Path dataDir;

    private static Config config() {
        return ConfigFactory.parseString("""
                        millrace.topics.prefix = "%s"
                        millrace.curation { seq-len = 64, rows-per-batch = 8, pipeline = [size] }
                        """.formatted(PREFIX))
                .withFallback(ConfigFactory.parseMap(Map.of("millrace.data-dir", dir.toString())))
                .withFallback(Settings.load(null)).resolve();
    }

    @BeforeAll
    static void brokerWithBatchesOfRealText() throws Exception {
        broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dir.resolve("broker")));
        Config config = config();
        Map<String, Object> kafka = KafkaClients.properties(config, broker.bootstrapServers(), Map.of());
        Topics topics = Topics.fromConfig(config);
        List<TopicSpec> specs = new ArrayList<>();
        // one partition per bucket: the order of batches within a bucket is then fixed, so a resumed run's
        // lineage can be compared with the reference run's step by step
        topics.batchTopics().forEach(t -> specs.add(TopicSpec.of(t, 1)));
        specs.add(TopicSpec.of(topics.trainEvents(), 1));
        specs.add(TopicSpec.of(topics.curriculum(), 1));
        try (Admin admin = Admin.create(kafka)) {
            TopicBootstrap.ensure(admin, specs);
        }
        Map<String, Integer> published = BatchSeeder.publish(kafka, CurationSettings.fromConfig(config, topics), topics,
                new ByteTokenizer(), realText(), 16);
        assertTrue(published.getOrDefault("textbook", 0) > STEPS && published.getOrDefault("code", 0) > STEPS, "batches: " + published);
        settingsFile = dir.resolve("train.conf");
        Files.writeString(settingsFile, """
                millrace.topics.prefix = "%s"
                millrace.metrics.port = 0
                millrace.model { preset = tiny, threads = 1, seed = 3, context-length = 64 }
                millrace.optim { learning-rate = 1e-2, min-learning-rate = 1e-3, warmup-steps = 3, decay-end-step = 40 }
                millrace.trainer { checkpoint-every = 5, event-every = 5, seed = 11, prefetch = 4 }
                millrace.curriculum {
                  on-dry = wait
                  live-updates = false
                  phases = [ { name = mix, tokens = 0, weights { textbook = 1, code = 1 } } ]
                }
                """.formatted(PREFIX));
        dataDir = dir.resolve("data");
        Fixtures.benchResults(dataDir);
    }

    /** Licence texts of /usr/share/common-licenses as textbook documents, the project's Java sources as code. */
    private static List<Document> realText() throws IOException {
        List<Document> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("/usr/share/common-licenses"))) {
            for (Path f : files.filter(p -> !Files.isSymbolicLink(p)).sorted().toList()) {
                documents.add(new Document(Document.stableId("common-licenses", f.getFileName().toString()), Files.readString(f),
                        "common-licenses", DocumentKind.TEXTBOOK, f.toString(), Map.of()));
            }
        }
        int code = 0;
        for (Document d : SeedDocuments.read(Path.of("..").toAbsolutePath().normalize())) {
            if (d.kind() == DocumentKind.CODE && code < 80_000) {
                documents.add(d);
                code += d.text().length();
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

    private static ChildJvm train(String name, String run, long maxSteps, List<String> faults) {
        return ChildJvm.start(name, dir, faults, "train", "--bootstrap-servers", broker.bootstrapServers(), "--data-dir",
                dataDir.toString(), "--config", settingsFile.toString(), "--max-steps", Long.toString(maxSteps), "--run-id", run);
    }

    private static Path runDir(String run) {
        return dataDir.resolve("checkpoints").resolve(run);
    }

    private static long trainedLines(String run) {
        Path log = runDir(run).resolve(LineageLog.FILE);
        if (!Files.exists(log)) {
            return 0;
        }
        return LineageLog.entries(log).stream().filter(e -> LineageLog.Entry.TRAINED.equals(e.type())).count();
    }

    private static long latestStep(String run) {
        return new CheckpointStore(dataDir.resolve("checkpoints"), run, 3).latest()
                .map(p -> CheckpointStore.readManifest(p).step()).orElse(0L);
    }

    private static List<Path> temporaryDirs(String run) throws IOException {
        try (Stream<Path> dirs = Files.list(runDir(run))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    @Test
    void killedMidStepHaltedMidCheckpointAndOutOfDiskTheRunTrainsEveryBatchOnceAsTheReferenceDoes() throws Exception {
        long started = System.nanoTime();
        Duration deadline = Duration.ofSeconds(120);
        List<ChildJvm> children = new ArrayList<>();
        try {
            // the uninterrupted reference
            ChildJvm reference = train("reference", "reference", STEPS, List.of());
            children.add(reference);
            assertEquals(0, reference.waitFor(deadline), reference.tail());
            List<LineageLog.Entry> expected = LineageLog.lineage(runDir("reference").resolve(LineageLog.FILE));
            assertEquals(STEPS, expected.size());
            assertEquals(STEPS, new HashSet<>(expected.stream().map(LineageLog.Entry::record).toList()).size(), "different batches at every step");
            long parametersBytes = Files.size(runDir("reference").resolve("step-%08d".formatted(STEPS)).resolve("model.params"));

            // 1. SIGKILL in the middle of training, some steps past a checkpoint
            ChildJvm first = train("crashy-1-sigkill", "crashy", STEPS, List.of());
            children.add(first);
            first.await("7 steps trained", deadline, () -> trainedLines("crashy") >= 7);
            first.kill();
            long killedAt = trainedLines("crashy");
            long c1 = latestStep("crashy");
            System.out.printf("SIGKILL after %d steps logged; the latest complete checkpoint is step %d%n", killedAt, c1);
            assertTrue(c1 >= 5 && c1 + 5 < STEPS, "killed between checkpoints: latest " + c1 + ", steps " + killedAt);

            // 2. halted (Runtime.halt) in the middle of the optimizer file of its first checkpoint
            long budget = parametersBytes + 1000;
            ChildJvm second = train("crashy-2-halt", "crashy", STEPS - c1,
                    List.of("-D" + CheckpointFault.PROPERTY + "=halt-after:" + budget));
            children.add(second);
            assertEquals(CheckpointFault.HALT_EXIT_CODE, second.waitFor(deadline), second.tail());
            assertTrue(second.output().contains("halting the JVM while writing optimizer.bin after 1,000 of its bytes"), second.tail());
            assertEquals(c1, latestStep("crashy"), "the half-written checkpoint is not a checkpoint");
            List<Path> halfWritten = temporaryDirs("crashy");
            assertEquals(1, halfWritten.size(), "the halted write left its temporary directory: " + halfWritten);
            Path tmp = halfWritten.get(0);
            assertTrue(tmp.getFileName().toString().startsWith(".tmp-step-%08d-".formatted(c1 + 5)), tmp.toString());
            assertEquals(parametersBytes, Files.size(tmp.resolve("model.params")), "the parameters were written whole");
            assertEquals(1000, Files.size(tmp.resolve("optimizer.bin")), "the optimizer state was cut off");
            assertFalse(Files.exists(tmp.resolve(CheckpointStore.MANIFEST)));

            // 3. a disk that is full at its first checkpoint: the supervisor restarts the loop from the last
            //    complete checkpoint and it finishes the run; the half-written checkpoint is removed, never loaded
            ChildJvm third = train("crashy-3-disk-full", "crashy", STEPS - c1,
                    List.of("-D" + CheckpointFault.PROPERTY + "=disk-full-after:" + budget));
            children.add(third);
            assertEquals(0, third.waitFor(deadline), third.tail());
            String out = third.output();
            assertTrue(out.contains("removing incomplete checkpoint " + tmp), out);
            assertTrue(out.contains("writing checkpoint step %d to %s failed while writing optimizer.bin after 1,000 of its bytes: %s"
                    .formatted(c1 + 5, runDir("crashy").resolve("step-%08d".formatted(c1 + 5)), CheckpointFault.NO_SPACE)), out);
            assertTrue(out.contains("the previous checkpoints are intact (latest: step-%08d)".formatted(c1)), out);
            assertTrue(temporaryDirs("crashy").isEmpty(), "no temporary directory is left");
            assertEquals(STEPS, latestStep("crashy"));

            Path log = runDir("crashy").resolve(LineageLog.FILE);
            List<Long> resumes = LineageLog.entries(log).stream().filter(e -> LineageLog.Entry.RESUMED.equals(e.type()))
                    .map(LineageLog.Entry::step).toList();
            // fresh start; after the SIGKILL; after the halt; after the full disk (supervisor restart in-process)
            assertEquals(List.of(0L, c1, c1, c1), resumes, "where each incarnation resumed");
            List<LineageLog.Entry> lineage = LineageLog.lineage(log);
            assertEquals(expected.stream().map(LineageLog.Entry::record).toList(), lineage.stream().map(LineageLog.Entry::record).toList(),
                    "the same batches (partition@offset) in the same order as the uninterrupted run");
            assertEquals(expected.stream().map(LineageLog.Entry::batch).toList(), lineage.stream().map(LineageLog.Entry::batch).toList());
            assertEquals(expected.stream().map(LineageLog.Entry::loss).toList(), lineage.stream().map(LineageLog.Entry::loss).toList(),
                    "the same loss at every step: the resumed model is the uninterrupted one");
            for (String partition : lineage.stream().map(LineageLog.Entry::partition).distinct().toList()) {
                List<Long> offsets = lineage.stream().filter(e -> e.partition().equals(partition)).map(LineageLog.Entry::offset).toList();
                for (int i = 0; i < offsets.size(); i++) {
                    assertEquals(i, offsets.get(i), "partition " + partition + ": no batch skipped or trained twice: " + offsets);
                }
            }
            long totalTrained = LineageLog.entries(log).stream().filter(e -> LineageLog.Entry.TRAINED.equals(e.type())).count();
            System.out.printf("lineage of %d steps equals the reference; %d steps trained in all (%d thrown away by the crashes);"
                    + " %.1f s%n", lineage.size(), totalTrained, totalTrained - lineage.size(), (System.nanoTime() - started) / 1e9);
        } finally {
            children.forEach(ChildJvm::close);
        }
    }
}
