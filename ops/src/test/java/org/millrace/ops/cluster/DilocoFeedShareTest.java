package org.millrace.ops.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.millrace.common.KafkaClients;
import org.millrace.ops.FeedBatches;
import org.millrace.ops.OneBroker;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.training.feed.BatchFeed;
import org.millrace.training.feed.FedBatch;
import org.millrace.training.feed.FeedPosition;
import org.millrace.training.feed.FeedStart;
import org.millrace.training.feed.PartitionShare;

/**
 * A DiLoCo worker's feed ({@link BatchFeed} on a {@link PartitionShare}) against a real broker: it reads only its
 * own partitions, in order, starts over on them alone, and a bucket with none of its partitions is dry. The test
 * lives here, not in trainer-actors, because the embedded broker is an ops class.
 */
@ExtendWith(OneBroker.class)
class DilocoFeedShareTest {
    private static final String WEB = "feedshare-web";   // 3 partitions, BATCHES batches on each
    private static final String CODE = "feedshare-code"; // 1 partition: share 1 of 2 holds none of it
    private static final int BATCHES = 4;
    private static final Duration DRY_WAIT = Duration.ofMillis(300);
    private static final PartitionShare SECOND_OF_TWO = new PartitionShare(1, 2);

    private static Map<String, Object> kafka;

    @BeforeAll
    static void publishBatches(EmbeddedKafkaBroker broker) throws Exception {
        kafka = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(WEB, 3, (short) 1), new NewTopic(CODE, 1, (short) 1))).all().get();
        }
        try (BufferAllocator allocator = new RootAllocator();
             KafkaProducer<String, byte[]> producer = KafkaClients.idempotentProducer(kafka, "feedshare-test")) {
            for (int i = 0; i < BATCHES; i++) {
                for (int p = 0; p < 3; p++) {
                    producer.send(new ProducerRecord<>(WEB, p, "k", FeedBatches.encode(allocator, "web", "p" + p + "-" + i))).get();
                }
                producer.send(new ProducerRecord<>(CODE, 0, "k", FeedBatches.encode(allocator, "code", "code-" + i))).get();
            }
        }
    }

    @Test
    void aShareReadsOnlyItsOwnPartitionInOrderAndStartsOverOnItAlone() throws Exception {
        FeedPosition position = new FeedPosition(FeedStart.beginning());
        try (BatchFeed feed = new BatchFeed(kafka, lanes(), FeedStart.beginning(), 2, true, DRY_WAIT, SECOND_OF_TWO)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2 * BATCHES; i++) { // one pass over partition 1 and a second one
                try (FedBatch b = FeedBatches.take(feed, "web")) {
                    assertEquals(new TopicPartition(WEB, 1), b.partition(), "only partition 1 is in share 1 of 2");
                    assertEquals(i % BATCHES, b.offset());
                    assertEquals(i / BATCHES, b.epoch(), "the second pass is epoch 1");
                    ids.add(b.batch().batchId());
                    position.trained(b);
                }
                if (i == BATCHES - 1) {
                    assertEquals(Map.of(new TopicPartition(WEB, 1), (long) BATCHES), position.offsets(),
                            "after the first pass the position names partition 1 only");
                }
            }
            assertEquals(List.of("p1-0", "p1-1", "p1-2", "p1-3", "p1-0", "p1-1", "p1-2", "p1-3"), ids);
            assertEquals(Map.of(new TopicPartition(WEB, 1), (long) BATCHES), position.offsets());
            assertEquals(Map.of("web", 1), position.epochs());

            FeedBatches.awaitDry(feed, "code"); // its one partition is 0: not in the share, so dry though it holds batches
            assertNull(feed.next("code", Duration.ofMillis(100)), "a bucket without a partition in the share has no batch");
            try (FedBatch b = FeedBatches.take(feed, "web")) {
                assertEquals(new TopicPartition(WEB, 1), b.partition(), "the other bucket still reads");
            }
        }
    }

    @Test
    void aCheckpointStartsTheShareWhereItLeftOffAndOffsetsOfOtherPartitionsAreIgnored() throws Exception {
        FeedStart start = new FeedStart(Map.of(new TopicPartition(WEB, 0), 3L, new TopicPartition(WEB, 1), 2L,
                new TopicPartition(WEB, 2), 1L), Map.of());
        FeedPosition position = new FeedPosition(new FeedStart(Map.of(new TopicPartition(WEB, 1), 2L), Map.of()));
        try (BatchFeed feed = new BatchFeed(kafka, Map.of("web", WEB), start, 2, false, DRY_WAIT, SECOND_OF_TWO)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                try (FedBatch b = FeedBatches.take(feed, "web")) {
                    ids.add(b.batch().batchId());
                    position.trained(b);
                }
            }
            assertEquals(List.of("p1-2", "p1-3"), ids);
            FeedBatches.awaitDry(feed, "web");
            assertNull(feed.next("web", Duration.ofMillis(100)), "without repeat, partition 1 read to its end is all");
            assertEquals(Map.of(new TopicPartition(WEB, 1), (long) BATCHES), position.offsets());
        }
    }

    @Test
    void aShareWithNoPartitionOfAnyTopicIsDryAndReturnsNull() throws Exception {
        try (BatchFeed feed = new BatchFeed(kafka, Map.of("code", CODE), FeedStart.beginning(), 2, true, DRY_WAIT,
                SECOND_OF_TWO)) {
            FeedBatches.awaitDry(feed, "code");
            assertNull(feed.next("code", Duration.ofMillis(200)));
            assertNull(feed.next("code", Duration.ofMillis(200)), "still nothing, and no failure");
            assertEquals(0, feed.buffered("code"));
        }
    }

    @Test
    void theFeedWithoutAShareReadsEveryPartition() throws Exception {
        try (BatchFeed feed = new BatchFeed(kafka, Map.of("web", WEB), FeedStart.beginning(), 2, false, DRY_WAIT)) {
            Set<TopicPartition> partitions = new java.util.HashSet<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3 * BATCHES; i++) {
                try (FedBatch b = FeedBatches.take(feed, "web")) {
                    partitions.add(b.partition());
                    ids.add(b.batch().batchId());
                }
            }
            assertEquals(3, partitions.size());
            assertEquals(3 * BATCHES, new java.util.HashSet<>(ids).size(), "every batch once: " + ids);
            FeedBatches.awaitDry(feed, "web");
        }
    }

    private static Map<String, String> lanes() {
        Map<String, String> lanes = new LinkedHashMap<>();
        lanes.put("web", WEB);
        lanes.put("code", CODE);
        return lanes;
    }
}
