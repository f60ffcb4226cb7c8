package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.run.TopicReader;
import org.millrace.producers.DocumentPublisher;
import org.millrace.training.LineageLog;
import org.millrace.training.checkpoint.CheckpointStore;

/**
 * The broker stopped and restarted in the middle of a run: {@code millrace broker} (a child JVM on a fixed port
 * and data directory) under {@code millrace run --bootstrap-servers} (another child JVM: curation, trainer,
 * evaluator) and a document producer in this JVM that publishes all along. The broker is stopped once with
 * SIGTERM and once with SIGKILL, each time for a few seconds, and restarted on the same port and data. Everything
 * must recover by itself: the producer's every document ends in curated or rejected, exactly once; the trainer
 * goes on from where it was; evaluations keep coming; and the clients retry with backoff, not in a tight loop.
 */
class BrokerOutageTest {
    private static final String PREFIX = "it-brk";
    private static final String RUN = "brk";
    private static final Duration OUTAGE = Duration.ofSeconds(6);
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d)\\.\\d{3} ");

    @TempDir
    Path dir;

    /** A port P with P + 1 free too (the broker's controller listens there). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            }
            if (p < 65534) {
                try (ServerSocket a = new ServerSocket(p); ServerSocket b = new ServerSocket(p + 1)) {
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no two adjacent free ports");
    }

    private Config clientConfig() {
        return ConfigFactory.parseString("millrace.topics.prefix = \"" + PREFIX + "\"").withFallback(Settings.load(null)).resolve();
    }

    @Test
    void aRunRidesOutTwoBrokerRestartsLosingNothing() throws Exception {
        int port = freePortPair();
        String servers = "127.0.0.1:" + port;
        Path brokerConf = dir.resolve("broker.conf");
        Files.writeString(brokerConf, """
                millrace.topics { prefix = "%s", doc-partitions = 2, batch-partitions = 1 }
                millrace.broker.port = %d
                """.formatted(PREFIX, port));
        Path runConf = dir.resolve("run.conf");
        Files.writeString(runConf, """
                millrace.topics { prefix = "%s", doc-partitions = 2, batch-partitions = 1 }
                millrace.run-id = "%s"
                millrace.metrics.port = 0
                millrace.dashboard.enabled = false
                millrace.serving.in-run = false
                millrace.tokenizer.kind = byte
                millrace.model { preset = tiny, context-length = 64, threads = 1 }
                millrace.curation { seq-len = 64, pipeline = [size, normalize, gopher-quality, gopher-repetition, dedup] }
                millrace.optim { warmup-steps = 5, learning-rate = 3e-3 }
                millrace.trainer { checkpoint-every = 10, event-every = 5 }
                millrace.curriculum.on-dry = repeat
                millrace.eval.bpb-max-bytes = 4 KiB
                """.formatted(PREFIX, RUN));
        Path brokerData = dir.resolve("broker-data");
        Path runData = dir.resolve("run-data");
        Fixtures.benchResults(runData);
        Path lineage = runData.resolve("checkpoints").resolve(RUN).resolve(LineageLog.FILE);

        Config config = clientConfig();
        Topics topics = Topics.fromConfig(config);
        Map<String, Object> kafka = KafkaClients.properties(config, servers, Map.of());
        assertBackoffIsNotATightLoop(kafka);

        List<ChildJvm> children = new ArrayList<>();
        ProducerThread producer = null;
        long started = System.nanoTime();
        try {
            ChildJvm broker = startBroker(children, "broker-1", brokerData, brokerConf);
            ChildJvm run = ChildJvm.start("run", dir, List.of(), "run", "--bootstrap-servers", servers, "--data-dir",
                    runData.toString(), "--config", runConf.toString(), "--documents", Path.of("..").toAbsolutePath().normalize().toString());
            children.add(run);
            producer = new ProducerThread(kafka, topics);
            producer.start();
            run.await("10 steps and an evaluation", Duration.ofSeconds(150),
                    () -> steps(lineage) >= 10 && !evaluations(kafka, topics).isEmpty());

            long[] outages = new long[2];
            for (int round = 0; round < 2; round++) {
                long stepsBefore = steps(lineage);
                long evalBefore = evaluations(kafka, topics).stream().mapToLong(EvalResult::step).max().orElse(0);
                long publishedBefore = producer.acknowledged();
                long down = System.nanoTime();
                if (round == 0) {
                    int exit = broker.stop(Duration.ofSeconds(30));
                    System.out.printf("broker stopped with SIGTERM (exit %d) at step %d%n", exit, stepsBefore);
                } else {
                    broker.kill();
                    System.out.printf("broker killed with SIGKILL at step %d%n", stepsBefore);
                }
                // The outage itself: the broker stays down for a while on purpose.
                Thread.sleep(OUTAGE.toMillis());
                broker = startBroker(children, "broker-" + (round + 2), brokerData, brokerConf);
                outages[round] = (System.nanoTime() - down) / 1_000_000;
                run.await("training past step " + (stepsBefore + 10) + " and an evaluation after the restart",
                        Duration.ofSeconds(150), () -> steps(lineage) >= stepsBefore + 10
                                && evaluations(kafka, topics).stream().anyMatch(e -> e.step() > evalBefore));
                // The producer reconnects on its own backoff, independently of the run: wait for its next acknowledgement
                // (or its first failure, which the assertion then shows).
                ProducerThread p = producer;
                broker.await("the producer's first acknowledgement after the restart", Duration.ofSeconds(90),
                        () -> p.acknowledged() > publishedBefore || !p.failures().isEmpty());
                assertEquals(List.of(), producer.failures(), "the producer publishes again, with no send failed for good");
                System.out.printf("round %d: broker down %d ms; trainer at step %d, evaluated up to step %d, %d documents acknowledged%n",
                        round + 1, outages[round], steps(lineage),
                        evaluations(kafka, topics).stream().mapToLong(EvalResult::step).max().orElse(0), producer.acknowledged());
            }

            producer.finish();
            assertEquals(List.of(), producer.failures(), "every send was acknowledged in the end (the producer retried through the outages)");
            // nothing the producer published is lost or doubled on the document topics...
            Map<String, Integer> onDocTopics = new HashMap<>();
            for (String topic : List.of(topics.docsWeb(), topics.docsSynthetic())) {
                for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, topic, Duration.ofSeconds(30))) {
                    onDocTopics.merge(r.key(), 1, Integer::sum);
                }
            }
            assertTrue(onDocTopics.keySet().containsAll(producer.ids().keySet()), "every acknowledged document is on the broker");
            assertTrue(onDocTopics.values().stream().allMatch(n -> n == 1), "once");
            // ...and every document on them, the run's own included, ends in curated or rejected, exactly once
            Map<String, Integer> seen = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                seen.clear();
                for (String topic : List.of(topics.curated(), topics.rejected())) {
                    for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, topic, Duration.ofSeconds(30))) {
                        seen.merge(r.key(), 1, Integer::sum);
                    }
                }
                if (seen.keySet().containsAll(onDocTopics.keySet()) || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertEquals(onDocTopics.keySet(), seen.keySet(), "every published document is curated or rejected");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "and only once: "
                    + seen.entrySet().stream().filter(e -> e.getValue() != 1).limit(10).toList());
            Map<String, Integer> sent = producer.ids();
            List<LineageLog.Entry> trained = LineageLog.lineage(lineage);
            for (String partition : trained.stream().map(LineageLog.Entry::partition).distinct().toList()) {
                List<LineageLog.Entry> ofPartition = trained.stream().filter(e -> e.partition().equals(partition)).toList();
                for (int i = 1; i < ofPartition.size(); i++) {
                    LineageLog.Entry a = ofPartition.get(i - 1);
                    LineageLog.Entry b = ofPartition.get(i);
                    assertTrue(b.offset() > a.offset() || b.epoch() > a.epoch(), "partition " + partition + " read in order once per epoch: "
                            + a.record() + " then " + b.record());
                }
            }

            int exit = run.stop(Duration.ofSeconds(90));
            // 143 = 128 + SIGTERM: the JVM reports the signal as its exit code even when its shutdown hook finished the run
            assertTrue(exit == 0 || exit == 143, "exit code " + exit + ": " + run.tail());
            assertTrue(run.output().contains("done: "), "the run reports its end before the JVM exits on SIGTERM: " + run.tail());
            long lastStep = steps(lineage);
            long lastCheckpoint = new CheckpointStore(runData.resolve("checkpoints"), RUN, 3).latest()
                    .map(p -> CheckpointStore.readManifest(p).step()).orElse(-1L);
            assertEquals(lastStep, lastCheckpoint, "the run stops cleanly on SIGTERM, with a checkpoint of its last step");
            LogRate rate = LogRate.of(run.output());
            System.out.printf("documents: %d published all along (%d on the topics in all), all curated or rejected once; run log: %d lines, at most %d in one second,"
                    + " %d connection warnings; %.1f s in all%n", sent.size(), onDocTopics.size(), rate.lines(), rate.maxPerSecond(), rate.connectionWarnings(),
                    (System.nanoTime() - started) / 1e9);
            assertTrue(rate.maxPerSecond() <= 100, "no tight retry loop in the logs: " + rate.maxPerSecond() + " lines in one second");
            assertTrue(rate.connectionWarnings() <= 20 * (outages[0] + outages[1]) / 1000 + 40, "connection warnings "
                    + rate.connectionWarnings() + " over " + (outages[0] + outages[1]) + " ms of outage");
        } finally {
            if (producer != null) {
                producer.abort();
            }
            children.forEach(ChildJvm::close);
        }
    }

    /** The reconnect and retry backoff every client gets (Kafka's defaults unless configured): exponential, up to a second. */
    private static void assertBackoffIsNotATightLoop(Map<String, Object> kafka) {
        ConsumerConfig consumer = new ConsumerConfig(withDeserializers(kafka));
        assertTrue(consumer.getLong(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG) >= 50);
        assertTrue(consumer.getLong(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG) >= 1000);
        assertTrue(consumer.getLong(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG) >= 100);
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        ProducerConfig producer = new ProducerConfig(p);
        assertTrue(producer.getLong(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG) >= 1000);
        assertTrue(producer.getLong(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG) >= 1000);
        assertTrue(producer.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG) >= 60_000, "a send outlives an outage of a minute");
    }

    private static Map<String, Object> withDeserializers(Map<String, Object> kafka) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    private ChildJvm startBroker(List<ChildJvm> children, String name, Path data, Path conf) throws InterruptedException {
        ChildJvm broker = ChildJvm.start(name, dir, List.of(), "broker", "--data-dir", data.toString(), "--config", conf.toString());
        children.add(broker);
        broker.await("the broker up", Duration.ofSeconds(90), () -> broker.output().contains("Kafka broker up at"));
        return broker;
    }

    private static long steps(Path lineage) {
        return Files.exists(lineage) ? LineageLog.lineage(lineage).stream().filter(e -> LineageLog.Entry.TRAINED.equals(e.type()))
                .mapToLong(LineageLog.Entry::step).max().orElse(0) : 0;
    }

    private static List<EvalResult> evaluations(Map<String, Object> kafka, Topics topics) {
        try {
            return TopicReader.readAll(kafka, topics.evalResults(), Duration.ofSeconds(10)).stream()
                    .map(r -> Json.read(r.value(), EvalResult.class)).filter(r -> RUN.equals(r.run())).toList();
        } catch (RuntimeException brokerNotBackYet) {
            return List.of();
        }
    }

    /** Documents published all along, through the outages; remembers each send's outcome. */
    private static final class ProducerThread extends Thread {
        private final DocumentPublisher publisher;
        private final Map<String, Integer> ids = new ConcurrentHashMap<>();
        private final List<Future<RecordMetadata>> sends = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<String> paragraphs;
        private volatile boolean running = true;

        ProducerThread(Map<String, Object> kafka, Topics topics) throws IOException {
            super("it-brk-producer");
            setDaemon(true);
            this.publisher = new DocumentPublisher(kafka, topics);
            this.paragraphs = new ArrayList<>();
            for (String p : Files.readString(Path.of("/usr/share/common-licenses/GPL-3")).split("\n\\s*\n")) {
                if (p.length() > 200) {
                    paragraphs.add(p);
                }
            }
        }

        @Override
        public void run() {
            int i = 0;
            while (running) {
                String id = "it-brk-" + i;
                String text = "Document " + i + ".\n\n" + paragraphs.get(i % paragraphs.size()) + "\n\n"
                        + paragraphs.get((i * 7 + 3) % paragraphs.size());
                ids.put(id, i);
                try {
                    sends.add(publisher.publish(new Document(id, text, "it-brk", i % 3 == 0 ? DocumentKind.TEXTBOOK : DocumentKind.WEB,
                            null, Map.of())));
                } catch (RuntimeException e) {
                    failures.add(id + ": " + e); // an earlier send failed for good
                }
                i++;
                try {
                    Thread.sleep(50); // about 20 documents a second
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long acknowledged() {
            return publisher.published();
        }

        /** Stops publishing and waits for every send's outcome. */
        void finish() throws InterruptedException {
            running = false;
            join(10_000);
            for (Future<RecordMetadata> f : List.copyOf(sends)) {
                try {
                    f.get(150, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
            publisher.close();
        }

        void abort() {
            running = false;
            interrupt();
        }

        Map<String, Integer> ids() {
            return Map.copyOf(ids);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }
    }

    /** Lines per second of a child's log (lines starting with HH:mm:ss.SSS), and its connection warnings. */
    private record LogRate(int lines, int maxPerSecond, int connectionWarnings) {
        static LogRate of(String output) {
            Map<String, Integer> perSecond = new TreeMap<>();
            int lines = 0;
            int warnings = 0;
            for (String line : output.split("\n")) {
                Matcher m = LOG_TIME.matcher(line);
                if (m.find()) {
                    lines++;
                    perSecond.merge(m.group(1), 1, Integer::sum);
                }
                if (line.contains("could not be established") || line.contains("Connection refused")
                        || line.contains("disconnected")) {
                    warnings++;
                }
            }
            return new LogRate(lines, perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0), warnings);
        }
    }
}
