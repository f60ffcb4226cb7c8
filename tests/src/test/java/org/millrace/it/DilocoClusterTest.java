package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.BatchSeeder;
import org.millrace.processing.CurationSettings;
import org.millrace.training.diloco.DilocoRemoting;

/**
 * DiLoCo on {@code millrace node}: two train nodes (JVMs of their own) on loopback form a cluster against one
 * broker whose textbook batch topic (real text: the licence texts of /usr/share/common-licenses) has two
 * partitions. Each node runs a DiLoCo worker on its partition, the coordinator runs as a Cluster Singleton on
 * the oldest node. Rounds complete with both workers' deltas; then the younger node is killed (SIGKILL), the
 * coordinator drops its worker, and further rounds complete with the remaining worker alone, whose checkpoint
 * is under its node's data directory.
 */
class DilocoClusterTest {
    /** Bound of the whole test: two JVMs start in 30-60 s on a loaded 2-core machine, the rounds take seconds. */
    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static final Pattern ROUND = Pattern.compile("diloco round (\\d+) completed by \\[([^]]*)]");

    @TempDir
    Path dir;

    @Test
    void roundsCompleteOnTwoTrainNodesAndContinueOnTheOneLeftWhenTheOtherIsKilled() throws Exception {
        long started = System.nanoTime();
        long deadline = started + DEADLINE.toNanos();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dir.resolve("broker")))) {
            Path conf = writeNodeConfig(broker.bootstrapServers());
            Config config = ConfigFactory.parseFile(conf.toFile()).withFallback(Settings.load(null)).resolve();
            Topics topics = Topics.fromConfig(config);
            Map<String, Object> kafka;
            try (KafkaConnection connection = KafkaConnection.open(config, dir)) {
                connection.ensureTopics(topics);
                kafka = connection.clientProperties();
            }
            Map<String, Integer> published = BatchSeeder.publish(kafka, CurationSettings.fromConfig(config, topics), topics,
                    new ByteTokenizer(), licences(), 8);
            long[] perPartition = batchesPerPartition(kafka, topics.batches("textbook"));
            assertTrue(perPartition.length == 2 && perPartition[0] > 0 && perPartition[1] > 0,
                    "textbook batches on both partitions: " + java.util.Arrays.toString(perPartition) + " of " + published);

            int[] ports = {freePort(), freePort()};
            String seeds = "127.0.0.1:" + ports[0];
            String first = "127-0-0-1-" + ports[0];
            String second = "127-0-0-1-" + ports[1];
            try (ChildJvm n1 = node(conf, "n1", ports[0], seeds, 0);
                 ChildJvm n2 = node(conf, "n2", ports[1], seeds, 1)) {
                n1.await("a round averaged over both workers", left(deadline),
                        () -> rounds(n1.output()).stream().anyMatch(r -> r.contributors().containsAll(List.of(first, second))));
                long bothAt = System.nanoTime();
                int roundsBefore = rounds(n1.output()).size();
                assertTrue(n2.output().contains("diloco worker " + second + " trained round"), "the second node's worker trained");

                // both actors' paths take Artery's large-message stream (the node's frame size alone would also carry a chunk)
                List<String> large = DilocoRemoting.withLargeMessages(config).getStringList("pekko.remote.artery.large-message-destinations");
                for (String what : List.of("diloco coordinator at ", "diloco worker at ")) {
                    Matcher m = Pattern.compile(Pattern.quote(what) + "(\\S+)").matcher(n1.output());
                    assertTrue(m.find(), "n1 says where its " + what.trim());
                    String path = m.group(1);
                    assertTrue(large.stream().anyMatch(p -> matches(p, path)), path + " among the large-message destinations " + large);
                }

                n2.kill();
                long killed = System.nanoTime();
                n1.await("the killed node's worker dropped", left(deadline),
                        () -> n1.output().contains("diloco worker " + second + " dropped"));
                n1.await("two more rounds on the remaining worker alone", left(deadline),
                        () -> rounds(n1.output()).stream().skip(roundsBefore)
                                .filter(r -> r.contributors().equals(List.of(first))).count() >= 2);
                List<Round> all = rounds(n1.output());
                Round last = all.get(all.size() - 1);
                assertTrue(last.contributors().equals(List.of(first)), "the last round is the remaining worker's: " + last);
                assertTrue(last.round() > all.get(roundsBefore - 1).round(), "rounds went on after the kill");
                Path checkpoint = dir.resolve("n1").resolve("diloco").resolve(first);
                assertTrue(Files.isDirectory(checkpoint), "the remaining worker checkpoints under its data dir: " + checkpoint);
                try (Stream<Path> files = Files.list(checkpoint)) {
                    assertFalse(files.toList().isEmpty(), "checkpoint files in " + checkpoint);
                }
                System.out.printf("diloco cluster test: batches per partition %s; a round of both workers after %.1f s "
                                + "(%d rounds); killed worker dropped and %d rounds on the other %.1f s after the kill; "
                                + "last round %d; %.1f s in all%n",
                        java.util.Arrays.toString(perPartition), (bothAt - started) / 1e9, roundsBefore,
                        all.size() - roundsBefore, (System.nanoTime() - killed) / 1e9, last.round(),
                        (System.nanoTime() - started) / 1e9);
                System.out.println("diloco cluster test: n1's last rounds:\n" + String.join("\n",
                        n1.output().lines().filter(l -> l.contains("diloco round")).skip(Math.max(0, all.size() - 4)).toList()));
            }
        }
    }

    record Round(long round, List<String> contributors) {
    }

    private static List<Round> rounds(String output) {
        List<Round> out = new ArrayList<>();
        Matcher m = ROUND.matcher(output);
        while (m.find()) {
            out.add(new Round(Long.parseLong(m.group(1)), List.of(m.group(2).split(",\\s*"))));
        }
        return out;
    }

    /** Artery's destination patterns: {@code *} stands for one whole path element. */
    private static boolean matches(String pattern, String path) {
        String[] p = pattern.split("/");
        String[] a = path.split("/");
        if (p.length != a.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!p[i].equals("*") && !p[i].equals(a[i])) {
                return false;
            }
        }
        return true;
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** The licence texts of /usr/share/common-licenses, as textbook documents. */
    private static List<Document> licences() throws IOException {
        List<Document> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("/usr/share/common-licenses"))) {
            for (Path f : files.filter(p -> !Files.isSymbolicLink(p)).sorted().toList()) {
                documents.add(new Document(Document.stableId("common-licenses", f.getFileName().toString()), Files.readString(f),
                        "common-licenses", DocumentKind.TEXTBOOK, f.toString(), Map.of()));
            }
        }
        return documents;
    }

    private static long[] batchesPerPartition(Map<String, Object> kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            return parts.stream().mapToLong(end::get).toArray();
        }
    }

    private Path writeNodeConfig(String bootstrap) throws IOException {
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, String.join("\n",
                "millrace.kafka.bootstrap-servers = \"" + bootstrap + "\"",
                "millrace.kafka.client { \"session.timeout.ms\" = 6000, \"heartbeat.interval.ms\" = 1000 }",
                "millrace.topics.batch-partitions = 2",
                "millrace.tokenizer.kind = byte",
                "millrace.metrics.port = 0",
                "millrace.dashboard.port = 0",
                "millrace.curation { seq-len = 64, rows-per-batch = 8, pipeline = [size] }",
                "millrace.model { preset = tiny, threads = 1, seed = 3, context-length = 64 }",
                "millrace.optim { learning-rate = 1e-2, min-learning-rate = 1e-3, warmup-steps = 3, decay-end-step = 200 }",
                "millrace.trainer { seed = 11, prefetch = 4 }",
                "millrace.curriculum { on-dry = repeat, live-updates = false,",
                "  phases = [ { name = textbooks, tokens = 0, weights { textbook = 1 } } ] }",
                "millrace.cluster.split-brain.stable-after = 3s",
                "millrace.cluster.failure-detector.acceptable-heartbeat-pause = 2s",
                "millrace.cluster.train.built-in = off",
                // H = 3 inner steps per round, a checkpoint every round; a worker gone is dropped on unreachability,
                // the round timeout only bounds a stuck one
                "millrace.diloco { enabled = on, workers = 2, inner-steps = 3, checkpoint-every-rounds = 1, round-timeout = 60s }",
                ""), StandardCharsets.UTF_8);
        return conf;
    }

    private ChildJvm node(Path conf, String name, int port, String seeds, int workerIndex) {
        return ChildJvm.start(name, dir, List.of("-Dmillrace.diloco.worker-index=" + workerIndex), "node",
                "--config", conf.toString(), "--data-dir", dir.resolve(name).toString(),
                "--roles", "train", "--seed-nodes", seeds, "--port", Integer.toString(port));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
