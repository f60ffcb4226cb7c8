package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.Rejection;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;

/**
 * Three {@code millrace node} JVMs with different roles form a Pekko Cluster on loopback and curate
 * against one broker in one consumer group, dedup going to the cluster's shards. One processing node is
 * killed (SIGKILL) while documents flow: the split-brain resolver downs it, its partitions and dedup
 * shards move to the others (each node has its own disk: the shards rebuild their state from the Kafka
 * changelog), and in the read_committed output every document id is in exactly one of
 * curated and rejected, once; near duplicates published to different partitions (so curated by
 * different nodes) are still caught, one of each pair kept.
 */
class ClusterTest {
    private static final int PARTITIONS = 6;
    /**
     * Bound of the whole test. It takes 115-160 s on a 2-core machine at load 25-40 (three JVMs starting
     * take 80-120 s of it); the bound leaves room above that rather than fail on a slow start.
     */
    private static final Duration DEADLINE = Duration.ofSeconds(210);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();
    private long deadline;

    @Test
    void killedProcessingNodeHandsItsPartitionsAndShardsOverWithNoDocumentLostOrRepeated() throws Exception {
        long started = System.nanoTime();
        deadline = started + DEADLINE.toNanos();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dir.resolve("broker")))) {
            Path conf = writeNodeConfig(broker.bootstrapServers());
            Config config = ConfigFactory.parseFile(conf.toFile()).withFallback(Settings.load(null)).resolve();
            Topics topics = Topics.fromConfig(config);
            try (KafkaConnection kafka = KafkaConnection.open(config, dir)) {
                kafka.ensureTopics(topics);
            }
            int[] ports = {freePort(), freePort(), freePort()};
            String seeds = "127.0.0.1:" + ports[0];
            try {
                Process seed = node(conf, "n1", ports[0], seeds, "process,ops");
                Process doomed = node(conf, "n2", ports[1], seeds, "process,ingest");
                Process third = node(conf, "n3", ports[2], seeds, "process");
                await("three members up, as the seed node sees them", () -> count(log("n1"), "member up") >= 3);
                await("curation running on every node", () -> List.of("n1", "n2", "n3").stream()
                        .allMatch(n -> count(log(n), "curation started") >= 1));
                System.out.printf("cluster test: three nodes up and curating after %.1f s%n", (System.nanoTime() - started) / 1e9);

                Corpus corpus = Corpus.make(new Random(42), 900, 60, 20);
                Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers());
                int half = corpus.records.size() / 2;
                publish(props, topics, corpus.records.subList(0, half));
                // n2 has taken part: some of the first half is curated before it dies
                await("a first share curated", () -> accounted(props, topics).size() >= half / 4);
                long up = System.nanoTime();
                doomed.destroyForcibly().waitFor();
                long killed = System.nanoTime();
                publish(props, topics, corpus.records.subList(half, corpus.records.size()));

                await("the cluster downs the killed node", () -> count(log("n1"), "member removed") >= 1);
                long removed = System.nanoTime();
                await("every document curated or rejected", () -> accounted(props, topics).size() >= corpus.ids().size());
                System.out.printf("cluster test: cluster up and first share curated after %.1f s; killed node removed %.1f s "
                        + "after the kill; every document accounted for %.1f s after the kill%n",
                        (up - started) / 1e9, (removed - killed) / 1e9, (System.nanoTime() - killed) / 1e9);

                Accounting a = accounting(props, topics);
                for (String id : corpus.ids()) {
                    int c = a.curated.getOrDefault(id, 0);
                    int r = a.rejected.getOrDefault(id, 0);
                    assertEquals(1, c + r, id + " curated " + c + " times and rejected " + r + " times");
                }
                assertEquals(corpus.ids().size(), a.curated.size() + a.rejected.size(), "no output for ids that were never sent");
                for (String[] pair : corpus.nearPairs) {
                    boolean first = a.curated.containsKey(pair[0]);
                    boolean second = a.curated.containsKey(pair[1]);
                    assertTrue(first ^ second, "exactly one of the near duplicates " + pair[0] + " / " + pair[1] + " kept");
                    String dropped = first ? pair[1] : pair[0];
                    assertEquals("dedup", a.filters.get(dropped), dropped + " rejected by dedup");
                }
                for (String[] pair : corpus.exactPairs) {
                    assertTrue(a.curated.containsKey(pair[0]) ^ a.curated.containsKey(pair[1]),
                            "exactly one of the copies " + pair[0] + " / " + pair[1] + " kept");
                }
                assertTrue(third.isAlive() && seed.isAlive(), "the other nodes still run");
                assertTrue(count(log("n1") + log("n3"), "changelog records") >= 1,
                        "a shard of the killed node started on another node and caught up from the changelog");
                System.out.printf("cluster test: %d documents, %d curated, %d rejected (%d by dedup) in %.1f s%n",
                        corpus.ids().size(), a.curated.size(), a.rejected.size(),
                        a.filters.values().stream().filter("dedup"::equals).count(), (System.nanoTime() - started) / 1e9);
            } finally {
                for (Process p : children) {
                    p.destroyForcibly();
                }
                for (Process p : children) {
                    p.waitFor();
                }
            }
        }
    }

    /** Documents: unique texts, near-duplicate pairs and exact copies, the two of a pair on different partitions. */
    record Corpus(List<ProducerRecord<String, byte[]>> records, List<String[]> nearPairs, List<String[]> exactPairs) {
        static Corpus make(Random random, int unique, int near, int exact) {
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            List<String[]> nearPairs = new ArrayList<>();
            List<String[]> exactPairs = new ArrayList<>();
            for (int i = 0; i < unique; i++) {
                String text = text(random, 150);
                String id = "doc-" + i;
                int partition = i % PARTITIONS;
                records.add(record(id, text, partition));
                if (i < near) {
                    String copy = id + "-near";
                    records.add(record(copy, edited(text), (partition + 3) % PARTITIONS));
                    nearPairs.add(new String[] {id, copy});
                } else if (i < near + exact) {
                    String copy = id + "-copy";
                    records.add(record(copy, text.toUpperCase(java.util.Locale.ROOT), (partition + 2) % PARTITIONS));
                    exactPairs.add(new String[] {id, copy});
                }
            }
            // interleave, so that both halves hold pairs
            java.util.Collections.shuffle(records, random);
            return new Corpus(records, nearPairs, exactPairs);
        }

        List<String> ids() {
            return records.stream().map(ProducerRecord::key).toList();
        }

        private static ProducerRecord<String, byte[]> record(String id, String text, int partition) {
            Document d = Document.of(id, text, "cluster-test", DocumentKind.WEB);
            return new ProducerRecord<>("", partition, id, DocumentCodec.encode(d));
        }

        static String text(Random random, int words) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < words; i++) {
                b.append(i == 0 ? "" : " ").append("w").append(Integer.toString(random.nextInt(20000), 36));
            }
            return b.append('.').toString();
        }

        /** One word in 75 replaced: Jaccard about 0.9, caught by 14 x 8 LSH bands with near certainty. */
        static String edited(String text) {
            String[] words = text.split(" ");
            for (int i = 37; i < words.length; i += 75) {
                words[i] = "harpoon";
            }
            return String.join(" ", words);
        }
    }

    private static void publish(Map<String, Object> props, Topics topics, List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(new ProducerRecord<>(topics.docsWeb(), r.partition(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    record Accounting(Map<String, Integer> curated, Map<String, Integer> rejected, Map<String, String> filters) {
        java.util.Set<String> ids() {
            java.util.Set<String> all = new java.util.HashSet<>(curated.keySet());
            all.addAll(rejected.keySet());
            return all;
        }
    }

    private static java.util.Set<String> accounted(Map<String, Object> props, Topics topics) {
        return accounting(props, topics).ids();
    }

    /** Everything committed to curated and rejected so far, read from the start with read_committed. */
    private static Accounting accounting(Map<String, Object> props, Topics topics) {
        Map<String, Object> p = new HashMap<>(props);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        Map<String, Integer> curated = new HashMap<>();
        Map<String, Integer> rejected = new HashMap<>();
        Map<String, String> filters = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(topics.curated(), topics.rejected())) {
                consumer.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.curated())) {
                        curated.merge(r.key(), 1, Integer::sum);
                    } else {
                        rejected.merge(r.key(), 1, Integer::sum);
                        filters.put(r.key(), Json.read(r.value(), Rejection.class).filter());
                    }
                }
            }
        }
        return new Accounting(curated, rejected, filters);
    }

    private Path writeNodeConfig(String bootstrap) throws IOException {
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, String.join("\n",
                "millrace.kafka.bootstrap-servers = \"" + bootstrap + "\"",
                // a SIGKILLed consumer leaves the group after this, not the default 45 s
                "millrace.kafka.client { \"session.timeout.ms\" = 6000, \"heartbeat.interval.ms\" = 1000,",
                // the killed node's open transaction blocks read_committed readers of its partitions until
                // it times out: 10 s here, not the default 60 s
                "  \"transaction.timeout.ms\" = 10000 }",
                "millrace.topics.doc-partitions = " + PARTITIONS,
                "millrace.tokenizer.kind = byte",
                "millrace.metrics.port = 0",
                "millrace.dashboard.port = 0",
                "millrace.curation.pipeline = [size, normalize, dedup]",
                "millrace.curation.group-max-docs = 40",
                "millrace.curation.group-max-wait = 200ms",
                "millrace.cluster.split-brain.stable-after = 3s",
                "millrace.cluster.failure-detector.acceptable-heartbeat-pause = 2s",
                "millrace.cluster.dedup.shards = 8",
                "millrace.cluster.dedup.ask-timeout = 2s",
                // no shared dedup directory: each node keeps its shards under its own data directory, and a
                // shard that moves off the killed node rebuilds its store from the Kafka changelog
                ""), StandardCharsets.UTF_8);
        return conf;
    }

    private Process node(Path conf, String name, int port, String seeds, String roles) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "org.millrace.ops.Main", "node",
                "--config", conf.toString(), "--data-dir", dir.resolve(name).toString(),
                "--roles", roles, "--seed-nodes", seeds, "--port", Integer.toString(port));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
        children.add(p);
        return p;
    }

    private String log(String name) {
        try {
            Path f = dir.resolve(name + ".out");
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (String n : List.of("n1", "n2", "n3")) {
                    String l = log(n);
                    logs.append("\n--- ").append(n).append(" ---\n").append(l.length() > 3000 ? l.substring(l.length() - 3000) : l);
                }
                throw new AssertionError("timed out waiting for: " + what + logs);
            }
            Thread.sleep(500);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
