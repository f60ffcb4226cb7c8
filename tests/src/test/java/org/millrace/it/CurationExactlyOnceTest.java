package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.it.curation.CurateChild;
import org.millrace.it.curation.CurationOutputs;
import org.millrace.it.curation.RealDocuments;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.processing.tokenizer.JtokkitTokenizer;
import org.millrace.producers.DocumentPublisher;

/**
 * Exactly-once curation under SIGKILL, on real documents (the Python standard library and the Debian
 * documentation) plus bad records, against a real broker: a clean run of {@code millrace curate} gives
 * the curated and rejected sets; a second run on fresh topics is SIGKILLed five times at random
 * points while records flow, and restarted each time. Both runs must account for every input once,
 * agree on every document's outcome, and hold every curated document's tokens exactly once in the
 * batch topics. The kill points come from a printed seed ({@code -Dmillrace.it.kill-seed=N} repeats a run).
 *
 * <p>The document topic has one partition: dedup keeps the first of two duplicates it meets, and
 * Kafka orders records within a partition only, so with several partitions two runs could meet the
 * same pair in different orders and legitimately keep different copies.
 */
class CurationExactlyOnceTest {
    private static final int DOCUMENTS = Integer.getInteger("millrace.it.curation-documents", 1000);
    private static final int MAX_DOCUMENT_CHARS = 8_000;
    private static final int KILLS = 5;
    /** How long a child may take to make progress: generous, as the machine may be shared. */
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final long SEED = Long.getLong("millrace.it.kill-seed", System.nanoTime() % 100_000);
    private static final int HUGE_BYTES = 50 * 1024 * 1024;
    /** Records that are no documents, published after them: three unreadable records and three bad documents. */
    private static final int BAD_RECORDS = 6;
    /** How far the faulted run's publisher may run ahead of the committed outputs, in documents. */
    private static final int AHEAD = 64;

    private static final String RUN_STAMP = java.time.LocalDateTime.now().format(
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static List<Document> documents;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dir.resolve("broker")));
        documents = RealDocuments.read(DOCUMENTS, MAX_DOCUMENT_CHARS);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyDocumentIsCuratedOrRejectedExactlyOnceThroughFiveSigkills() throws Exception {
        System.out.println("CurationExactlyOnceTest: kill seed " + SEED + " (-Dmillrace.it.kill-seed=" + SEED + " repeats it), "
                + documents.size() + " documents, " + documents.stream().mapToLong(d -> d.text().length()).sum() / 1_000_000 + " M chars");
        assertTrue(documents.stream().anyMatch(d -> "text/html".equals(d.metadata().get("content_type"))
                || d.text().startsWith("<!DOCTYPE") || d.text().startsWith("<html")), "the sample holds HTML pages");
        assertTrue(documents.stream().anyMatch(d -> d.kind() == DocumentKind.CODE), "the sample holds code");

        long started = System.nanoTime();
        Run clean = new Run("clean");
        Set<String> cleanInputs = clean.publish();
        try (CurateChild child = clean.start()) {
            clean.awaitAll(cleanInputs, child, PATIENCE);
            assertEquals(143, child.terminate(60), "SIGTERM drains and exits by the shutdown hook; log:\n" + child.tail());
        }
        CurationOutputs expected = clean.outputs();
        System.out.printf("clean run: %d curated, %d rejected in %.1f s%n", expected.curated().size(), expected.rejections().size(),
                (System.nanoTime() - started) / 1e9);
        clean.check(expected, cleanInputs);
        assertBadInputRejectedWithReasons(expected);

        long faultedStart = System.nanoTime();
        Run faulted = new Run("faulted");
        faulted.prepare();
        // The faulted run's documents arrive while the child curates, at most AHEAD documents ahead of its committed
        // outputs, so that every kill lands while records flow: the chain curates these 2 M characters in about a
        // second of CPU, faster than the kills could be placed in a topic filled beforehand.
        java.util.concurrent.CompletableFuture<Set<String>> published = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return faulted.publish(AHEAD);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        int total = documents.size() + BAD_RECORDS;
        Random random = new Random(SEED);
        List<String> killedAt = new ArrayList<>();
        Set<String> inputs = Set.of();
        CurateChild child = faulted.start();
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                // Kill only while records flow: once this child has committed output of its own, and past a
                // random share of the input within the kill's own slice of it (5-65%, in five slices: on a quiet
                // machine the chain curates the last third of the input within seconds)...
                long threshold = (long) (total * (0.05 + 0.12 * (kill - 1) + 0.12 * random.nextDouble()));
                long before = faulted.committedOutputs();
                faulted.awaitOutputs(Math.max(threshold, before + 1), total, child, PATIENCE);
                // ...and then as soon as a transaction holds records that are not committed yet (the log end
                // of an output partition is past its last stable offset), so as to land inside a transaction
                // rather than just after one; a random moment later if none is seen within a second.
                long delayMs = faulted.awaitOpenTransaction(Duration.ofSeconds(1)) ? 0 : random.nextInt(300);
                Thread.sleep(delayMs);
                long accounted = faulted.committedOutputs();
                assertTrue(accounted < total, "kill " + kill + " came after the run finished (" + accounted
                        + " of " + total + "): the input is too small for the kill points");
                child.kill();
                killedAt.add(String.format("kill %d: %d ms after passing %d, at %d/%d outputs committed", kill, delayMs, threshold,
                        accounted, total));
                child = faulted.start();
            }
            faulted.awaitOutputs(total, total, child, PATIENCE); // lets the publisher finish
            inputs = published.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            faulted.awaitAll(inputs, child, PATIENCE);
            assertEquals(143, child.terminate(60), "log:\n" + child.tail());
        } finally {
            child.close();
        }
        killedAt.forEach(System.out::println);
        CurationOutputs actual = faulted.outputs();
        faulted.check(actual, inputs);
        long aborted = faulted.uncommittedOutputs() - (actual.curated().size() + actual.rejections().size());
        System.out.printf("faulted run: %d kills, %d output records of aborted transactions, %.1f s%n", KILLS, aborted,
                (System.nanoTime() - faultedStart) / 1e9);
        assertTrue(aborted > 0, "at least one kill hit an open transaction with records in it (seed " + SEED + ")");

        Map<String, String> differences = new TreeMap<>();
        for (String id : expected.outcomes().keySet()) {
            if (!expected.outcomes().get(id).equals(actual.outcomes().get(id))) {
                differences.put(id, expected.outcomes().get(id) + " (clean) vs " + actual.outcomes().get(id) + " (killed)");
            }
        }
        assertEquals(Map.of(), differences, "the killed run decides every document as the clean run (seed " + SEED + ")");
        assertEquals(expected.outcomes().keySet(), actual.outcomes().keySet());
    }

    private static void assertBadInputRejectedWithReasons(CurationOutputs out) {
        Map<String, String> reasons = out.rejections().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().filter() + ": " + e.getValue().reason()));
        List<String> bad = reasons.entrySet().stream().filter(e -> e.getKey().startsWith("docs.web/") || e.getKey().startsWith("bad-"))
                .map(e -> e.getKey() + " → " + e.getValue()).sorted().toList();
        bad.forEach(System.out::println);
        assertEquals(6, bad.size(), "each bad record rejected: " + bad);
        assertTrue(reasons.get("bad-huge").startsWith("size: too_large"), reasons.get("bad-huge"));
        assertTrue(reasons.get("bad-empty").startsWith("size: empty"), reasons.get("bad-empty"));
        assertFalse(out.curated().containsKey("bad-binary-text"));
        long decode = bad.stream().filter(b -> b.contains("→ decode: ")).count();
        assertEquals(3, decode, "malformed JSON, no text field, bytes that are not UTF-8: " + bad);
        assertTrue(bad.stream().anyMatch(b -> b.contains("Document JSON record") && b.contains("text")), bad.toString());
        assertTrue(bad.stream().anyMatch(b -> b.contains("not valid UTF-8")), bad.toString());
    }

    /** One curation run: its own topic prefix, data directory, consumer group and settings. */
    private static final class Run {
        private final String name;
        private final Path dataDir;
        private final Path configFile;
        private final Config config;
        private final Topics topics;
        private final Map<String, Object> kafka;
        private final Tokenizer tokenizer = new JtokkitTokenizer(JtokkitTokenizer.Kind.R50K);
        private final Set<String> seen = new HashSet<>();
        /** {@code seen.size()}, for the publisher's thread. */
        private volatile int seenCount;
        private KafkaConsumer<String, byte[]> watcher;
        private int starts;

        Run(String name) throws Exception {
            this.name = name;
            // under target/, so that the children's logs (<data-dir>/logs) outlive a failed run
            this.dataDir = Path.of("target", "curation-exactly-once", RUN_STAMP, name).toAbsolutePath();
            Files.createDirectories(dataDir);
            this.configFile = dataDir.resolve("curate.conf");
            String hocon = String.join("\n",
                    "millrace.topics.prefix = " + name,
                    "millrace.topics.doc-partitions = 1",
                    "millrace.curation.consumer-group = " + name + "-curation",
                    "millrace.curation.transactional-id = " + name + "-curation",
                    // the default chain without the classifier (which needs a trained model); decontamination
                    // finds no evaluation sets here and keeps everything
                    "millrace.curation.pipeline = [size, html-extract, normalize, language, gopher-quality, gopher-repetition,"
                            + " c4-lines, code-quality, pii, dedup, decontaminate]",
                    "millrace.curation.group-max-docs = 32",
                    "millrace.tokenizer.kind = r50k",
                    "millrace.metrics.port = 0", "");
            Files.writeString(configFile, hocon);
            this.config = ConfigFactory.parseFile(configFile.toFile()).withFallback(Settings.load(null)).resolve();
            this.topics = Topics.fromConfig(config);
            this.kafka = KafkaClients.properties(config, broker.bootstrapServers(), Map.of());
        }

        /** Creates the topics and publishes the documents and the bad records; returns every input id. */
        Set<String> publish() throws Exception {
            return publish(Integer.MAX_VALUE);
        }

        /**
         * As {@link #publish()}, keeping at most {@code ahead} documents published beyond the committed outputs the
         * test thread has seen ({@link #committedOutputs()}, which must be called meanwhile).
         */
        Set<String> publish(int ahead) throws Exception {
            if (watcher == null) {
                prepare();
            }
            Set<String> ids = new HashSet<>();
            try (DocumentPublisher publisher = new DocumentPublisher(kafka, topics)) {
                for (Document d : documents) {
                    while (ids.size() - seenCount > ahead) {
                        Thread.sleep(5); // until the child commits more: a backlog of at most `ahead`
                    }
                    publisher.publish(d);
                    ids.add(d.id());
                }
                publisher.flush();
            }
            Map<String, Object> props = new HashMap<>(kafka);
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024);
            props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                String web = topics.docsWeb();
                // records that are no documents are rejected under <topic>/<partition>/<offset>
                for (byte[] value : List.of("{\"id\": \"bad-json\", \"text\": \"unterminated".getBytes(StandardCharsets.UTF_8),
                        "{\"id\": \"bad-no-text\", \"source\": \"test\"}".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, 0x28, (byte) 0x80})) {
                    var md = raw.send(new ProducerRecord<>(web, "bad", value)).get();
                    ids.add("docs.web/" + md.partition() + "/" + md.offset());
                }
                StringBuilder binary = new StringBuilder();
                Random r = new Random(7);
                for (int i = 0; i < 4000; i++) {
                    binary.append((char) r.nextInt(0x20));
                    binary.append((char) (0x80 + r.nextInt(0x60)));
                }
                StringBuilder huge = new StringBuilder(HUGE_BYTES + 64);
                String sentence = "The quick brown fox jumps over the lazy dog and keeps on running. ";
                while (huge.length() < HUGE_BYTES) {
                    huge.append(sentence);
                }
                for (Document d : List.of(new Document("bad-binary-text", binary.toString(), "test", DocumentKind.WEB, null, Map.of()),
                        new Document("bad-empty", " \n\t ", "test", DocumentKind.WEB, null, Map.of()),
                        new Document("bad-huge", huge.toString(), "test", DocumentKind.WEB, null, Map.of()))) {
                    raw.send(new ProducerRecord<>(web, d.id(), Json.write(d))).get();
                    ids.add(d.id());
                }
            }
            return ids;
        }

        /** Creates the topics and starts watching the outputs. */
        void prepare() throws Exception {
            Config withServers = ConfigFactory.parseMap(Map.of("millrace.kafka.bootstrap-servers", broker.bootstrapServers()))
                    .withFallback(config);
            try (KafkaConnection connection = KafkaConnection.open(withServers, dataDir)) {
                connection.ensureTopics(topics);
            }
            watcher = watcher();
        }

        CurateChild start() throws Exception {
            starts++;
            return CurateChild.start(broker.bootstrapServers(), dataDir, configFile, "node-1", dataDir.resolve("logs/child-" + starts + ".log"));
        }

        private KafkaConsumer<String, byte[]> watcher() {
            Map<String, Object> props = new HashMap<>(kafka);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(topics.curated(), topics.rejected())) {
                c.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            return c;
        }

        /** Output records committed so far (read committed, so a record of an open transaction is not counted). */
        long committedOutputs() {
            watcher.poll(Duration.ofMillis(50)).forEach(r -> seen.add(r.topic() + "|" + r.key()));
            seenCount = seen.size();
            return seen.size();
        }

        void awaitOutputs(long atLeast, long total, CurateChild child, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (committedOutputs() < atLeast) {
                if (!child.isAlive()) {
                    fail(name + ": the curation child exited by itself; log:\n" + child.tail());
                }
                if (System.nanoTime() > deadline) {
                    fail(name + ": not " + atLeast + " committed outputs within " + timeout + " (" + seen.size() + " of "
                            + total + "); log:\n" + child.tail());
                }
            }
        }

        void awaitAll(Set<String> inputs, CurateChild child, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (committedOutputs() < inputs.size()) {
                if (!child.isAlive()) {
                    fail(name + ": the curation child exited by itself; log:\n" + child.tail());
                }
                if (System.nanoTime() > deadline) {
                    fail(name + ": " + seen.size() + " of " + inputs.size() + " inputs accounted for within " + timeout + "; log:\n"
                            + child.tail());
                }
            }
        }

        /** Waits until an output partition's log end is past its last stable offset: a transaction with records is open. */
        boolean awaitOpenTransaction(Duration timeout) {
            Map<String, Object> committed = new HashMap<>(kafka);
            committed.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            Map<String, Object> uncommitted = new HashMap<>(kafka);
            uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            try (KafkaConsumer<String, byte[]> stable = new KafkaConsumer<>(committed, new StringDeserializer(), new ByteArrayDeserializer());
                 KafkaConsumer<String, byte[]> end = new KafkaConsumer<>(uncommitted, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = new ArrayList<>();
                for (String t : List.of(topics.curated(), topics.rejected())) {
                    stable.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    Map<TopicPartition, Long> lso = stable.endOffsets(parts);
                    Map<TopicPartition, Long> hw = end.endOffsets(parts);
                    if (parts.stream().anyMatch(p -> hw.get(p) > lso.get(p))) {
                        return true;
                    }
                }
                return false;
            }
        }

        CurationOutputs outputs() {
            watcher.close();
            return CurationOutputs.read(kafka, topics);
        }

        /** Records on the curated and rejected topics including those of aborted transactions. */
        long uncommittedOutputs() {
            Map<String, Object> props = new HashMap<>(kafka);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                long n = 0;
                for (String t : List.of(topics.curated(), topics.rejected())) {
                    List<TopicPartition> parts = c.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition())).toList();
                    Map<TopicPartition, Long> end = c.endOffsets(parts);
                    c.assign(parts);
                    c.seekToBeginning(parts);
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                        for (var r : c.poll(Duration.ofMillis(200))) {
                            if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                                n++;
                            }
                        }
                    }
                }
                return n;
            }
        }

        /** Every input once in curated or rejected, no key twice, every curated document's tokens once in the batches. */
        void check(CurationOutputs out, Set<String> inputs) {
            assertEquals(Map.of(), out.repeats(), name + ": output keys written more than once");
            Set<String> both = new HashSet<>(out.curated().keySet());
            both.retainAll(out.rejections().keySet());
            assertEquals(Set.of(), both, name + ": documents both curated and rejected");
            Set<String> missing = new TreeSet<>(inputs);
            missing.removeAll(out.outcomes().keySet());
            Set<String> extra = new TreeSet<>(out.outcomes().keySet());
            extra.removeAll(inputs);
            assertEquals(Set.of(), missing, name + ": inputs neither curated nor rejected (outputs of no input: "
                    + extra.stream().limit(5).map(id -> id + " = " + out.outcomes().get(id)).toList() + ")");
            assertEquals(Set.of(), extra, name + ": outputs of no input (" + extra.stream().limit(5)
                    .map(id -> id + " = " + out.outcomes().get(id)).toList() + ")");
            assertFalse(out.curated().isEmpty(), name + ": something was curated");
            assertTrue(out.rejections().size() > 10, name + ": something was rejected");
            for (var e : out.curated().entrySet()) {
                String id = e.getKey();
                assertEquals(1, out.placements().getOrDefault(id, 0), name + ": " + id + "'s tokens are in exactly one place");
                int[] expected = tokenizer.encode(e.getValue().document().text());
                assertEquals(e.getValue().tokens(), expected.length, name + ": " + id + " token count");
                List<Integer> held = out.tokensOf().get(id);
                assertEquals(expected.length + 1, held.size(), name + ": " + id + " tokens in the batches, end-of-text included");
                for (int i = 0; i < expected.length; i++) {
                    if (expected[i] != held.get(i)) {
                        fail(name + ": " + id + " token " + i + " is " + held.get(i) + " in the batches, " + expected[i] + " encoded");
                    }
                }
                assertEquals(tokenizer.endOfText(), held.get(expected.length));
            }
            Set<String> strays = new HashSet<>(out.tokensOf().keySet());
            strays.removeAll(out.curated().keySet());
            assertEquals(Set.of(), strays, name + ": batches hold only curated documents");
        }
    }
}
