package org.millrace.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.millrace.common.KafkaClients;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.training.feed.BatchFeed;
import org.millrace.training.feed.FedBatch;
import org.millrace.training.feed.FeedPosition;
import org.millrace.training.feed.FeedStart;

/**
 * The epoch {@link BatchFeed} puts on a batch under {@code repeat}, against a real broker: it is the pass over the
 * bucket the batch was read in, a pass ends only when every batch the broker holds has been read, and a pass that
 * read nothing is no pass. So the first batch of a bucket that was empty (or held only aborted records) when the
 * feed started is epoch 0, every later pass starts at the first batch and reads each batch once, and a feed
 * restarted from a checkpoint's {@link FeedStart} goes on with the pass it was in. The test lives here, not in
 * trainer-actors, because the embedded broker is an ops class.
 */
@ExtendWith(OneBroker.class)
class BatchFeedEpochTest {
    private static final Duration DRY_WAIT = Duration.ofMillis(300);
    /** Buckets that are empty when the feed starts; several, since each is one chance for the feed to miscount. */
    private static final int EMPTY_BUCKETS = 6;
    private static final String STATIC = "feedepoch-static"; // three batches, all published before any feed starts
    private static final String ABORTED = "feedepoch-aborted"; // an aborted transaction first

    private static Map<String, Object> kafka;
    private static BufferAllocator allocator;
    private static KafkaProducer<String, byte[]> producer;

    /** A batch as the consumer saw it. */
    private record Delivery(long offset, int epoch) {
        @Override
        public String toString() {
            return offset + "@e" + epoch;
        }
    }

    @BeforeAll
    static void createTopics(EmbeddedKafkaBroker broker) throws Exception {
        kafka = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < EMPTY_BUCKETS; i++) {
            topics.add(new NewTopic(emptyTopic(i), 1, (short) 1));
        }
        topics.add(new NewTopic(STATIC, 1, (short) 1));
        topics.add(new NewTopic(ABORTED, 1, (short) 1));
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(topics).all().get();
        }
        allocator = new RootAllocator();
        producer = KafkaClients.idempotentProducer(kafka, "feedepoch-test");
        for (int i = 0; i < 3; i++) {
            publish(STATIC, "static-" + i);
        }
    }

    @AfterAll
    static void close() {
        producer.close();
        allocator.close();
    }

    @Test
    void batchesArrivingInABucketThatWasDryAreReadInItsFirstPassAndEveryLaterPassReadsEachOnce() throws Exception {
        Map<String, String> topics = new LinkedHashMap<>();
        for (int i = 0; i < EMPTY_BUCKETS; i++) {
            topics.put("slow" + i, emptyTopic(i));
        }
        try (BatchFeed feed = new BatchFeed(kafka, topics, FeedStart.beginning(), 2, true, DRY_WAIT)) {
            for (String bucket : topics.keySet()) {
                FeedBatches.awaitDry(feed, bucket);
            }
            // What the textbook experiment's trainer met: curation publishes a bucket's first batches after the
            // feed has found it empty for longer than the dry wait.
            topics.forEach((bucket, topic) -> publish(topic, bucket + "-0"));
            List<String> firstDeliveries = new ArrayList<>();
            for (String bucket : topics.keySet()) {
                try (FedBatch b = FeedBatches.take(feed, bucket)) {
                    firstDeliveries.add(bucket + ":" + new Delivery(b.offset(), b.epoch()));
                }
            }
            List<String> expected = topics.keySet().stream().map(b -> b + ":0@e0").toList();
            assertEquals(expected, firstDeliveries, "no pass over a bucket is complete before its first batch is read");

            // One bucket goes on at the consumer's pace, a new batch arriving now and then: it is read to its end
            // again and again (repeat), and batches published meanwhile join the passes.
            String topic = topics.get("slow0");
            List<Delivery> log = new ArrayList<>(List.of(new Delivery(0, 0)));
            while (log.size() < 16) {
                if (log.size() == 4 || log.size() == 8) {
                    publish(topic, "slow0-" + (log.size() / 4));
                }
                try (FedBatch b = FeedBatches.take(feed, "slow0")) {
                    log.add(new Delivery(b.offset(), b.epoch()));
                }
            }
            assertPasses(log, 0);
            assertTrue(log.stream().anyMatch(d -> d.offset() == 2), "the last batch published joins the passes: " + log);
        }
    }

    @Test
    void aBucketHoldingOnlyAbortedRecordsHasNoPassToRepeat() throws Exception {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "feedepoch-aborting");
        try (KafkaProducer<String, byte[]> aborting = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            aborting.initTransactions();
            aborting.beginTransaction();
            aborting.send(new ProducerRecord<>(ABORTED, 0, "k", FeedBatches.encode(allocator, "aborted", "aborted-0"))).get();
            aborting.abortTransaction();
        }
        awaitStableEnd(new TopicPartition(ABORTED, 0), 2); // the record and the abort marker
        try (BatchFeed feed = new BatchFeed(kafka, Map.of("aborted", ABORTED), FeedStart.beginning(), 2, true, DRY_WAIT)) {
            FeedBatches.awaitDry(feed, "aborted");
            publish(ABORTED, "committed-0");
            try (FedBatch b = FeedBatches.take(feed, "aborted")) {
                assertEquals("committed-0", b.batch().batchId());
                assertEquals(0, b.epoch(), "reading an aborted record and its marker is no pass over the bucket");
            }
        }
    }

    @Test
    void aFeedStartedFromACheckpointGoesOnWithThePassItWasIn() throws Exception {
        TopicPartition p0 = new TopicPartition(STATIC, 0);
        FeedPosition position = new FeedPosition(FeedStart.beginning());
        List<Delivery> log = new ArrayList<>(takeStatic(FeedStart.beginning(), 4, position));
        assertEquals(List.of(new Delivery(0, 0), new Delivery(1, 0), new Delivery(2, 0), new Delivery(0, 1)), log,
                "three batches, then the second pass from the first");
        assertEquals(new FeedStart(Map.of(p0, 1L), Map.of("static", 1)), position.start(), "checkpoint in the second pass");

        log.addAll(takeStatic(position.start(), 2, position)); // restarted mid-pass
        assertEquals(new FeedStart(Map.of(p0, 3L), Map.of("static", 1)), position.start(), "checkpoint at a pass's end");

        log.addAll(takeStatic(position.start(), 4, position)); // restarted at the end of a pass
        assertEquals(List.of(0L, 1L, 2L, 0L, 1L, 2L, 0L, 1L, 2L, 0L), log.stream().map(Delivery::offset).toList(),
                "restarts neither repeat nor skip a batch within a pass: " + log);
        assertPasses(log, 0);
        assertEquals(3, log.get(log.size() - 1).epoch(), "the fourth pass: three complete ones before it");
    }

    /** Takes {@code n} batches of the static bucket from a feed started at {@code start}, recording them in {@code position}. */
    private static List<Delivery> takeStatic(FeedStart start, int n, FeedPosition position) throws InterruptedException {
        List<Delivery> taken = new ArrayList<>();
        try (BatchFeed feed = new BatchFeed(kafka, Map.of("static", STATIC), start, 2, true, DRY_WAIT)) {
            for (int i = 0; i < n; i++) {
                try (FedBatch b = FeedBatches.take(feed, "static")) {
                    taken.add(new Delivery(b.offset(), b.epoch()));
                    position.trained(b);
                }
            }
        }
        return taken;
    }

    /**
     * What a user reads an epoch as, for a single-partition bucket read from its beginning: the deliveries are the
     * passes {@code startEpoch, startEpoch + 1, ...} one after another, none of them empty; every pass reads the
     * offsets {@code 0, 1, 2, ...} once each and in order, and reaches at least as far as the pass before it (the
     * topic only grows).
     */
    private static void assertPasses(List<Delivery> log, int startEpoch) {
        assertEquals(new Delivery(0, startEpoch), log.get(0), "the first pass starts at the first batch: " + log);
        long previousPassEnd = -1;
        for (int i = 1; i < log.size(); i++) {
            Delivery before = log.get(i - 1);
            Delivery d = log.get(i);
            if (d.epoch() == before.epoch()) {
                assertEquals(before.offset() + 1, d.offset(), "within a pass each batch once, in order: " + log);
            } else {
                assertEquals(before.epoch() + 1, d.epoch(), "a pass begins only after the one before it read batches: " + log);
                assertEquals(0, d.offset(), "a new pass starts at the first batch: " + log);
                assertTrue(before.offset() >= previousPassEnd, "a pass reads the whole bucket, at least what the last one read: "
                        + log);
                previousPassEnd = before.offset();
            }
        }
    }

    /** Waits until a read_committed reader sees {@code end} as the partition's end (the transaction's marker is written). */
    private static void awaitStableEnd(TopicPartition tp, long end) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            while (consumer.endOffsets(List.of(tp)).get(tp) < end) {
                assertTrue(System.nanoTime() < deadline, tp + " has no stable end " + end + " within 30 s");
            }
        }
    }

    private static String emptyTopic(int i) {
        return "feedepoch-slow-" + i;
    }

    private static void publish(String topic, String batchId) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, "k", FeedBatches.encode(allocator, "test", batchId))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + batchId + " to " + topic, e);
        }
    }
}
