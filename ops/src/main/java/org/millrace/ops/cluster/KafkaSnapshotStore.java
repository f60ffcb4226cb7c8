package org.millrace.ops.cluster;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.millrace.ops.broker.TopicBootstrap;
import org.millrace.ops.broker.TopicSpec;
import org.millrace.training.diloco.CoordinatorSnapshot;
import org.millrace.training.diloco.SnapshotStore;

/**
 * The DiLoCo coordinator's snapshots on a one-partition compacted Kafka topic, so whichever train node the
 * coordinator's Cluster Singleton moves to can read them (as {@link KafkaShardChangelog} keeps the dedup shards'
 * state for the node a shard moves to).
 *
 * <p>A snapshot is its chunks ({@code parameters/<i>}, {@code momentum/<i>}) and its manifest, each a record keyed
 * by that name, the snapshot's round in a header. <b>Why a transaction:</b> each snapshot's records are written in
 * one Kafka transaction and read with {@code read_committed}, so a snapshot is visible whole or not at all. A
 * manifest written after its chunks (without a transaction) would not be enough on a compacted topic with stable
 * keys: a coordinator dying half-way through a snapshot leaves new chunks that compaction lets replace the last
 * complete snapshot's, which would then be lost. With the transaction, aborted records are skipped by readers and
 * removed by the cleaner, and compaction keeps the latest committed record of every key: the latest complete
 * snapshot. The transactional id is the same for every coordinator of the topic, so a new coordinator's
 * {@code initTransactions} aborts what a previous one left open and fences it off (a stale coordinator still
 * running on a partitioned node can no longer write). The reader still checks rounds and the checksum.
 *
 * <p>Records hold at most {@code chunk-bytes} of values; the topic's {@code max.message.bytes} and the producer's
 * {@code max.request.size} are raised to that plus 64 KiB of headroom (record and batch headers).
 */
public final class KafkaSnapshotStore implements SnapshotStore {
    static final String ROUND_HEADER = "millrace-snapshot-round";
    private static final int HEADROOM = 64 * 1024;
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
    /** Small segments, so compaction (which never touches the active segment) keeps the topic near one snapshot. */
    private static final String SEGMENT_BYTES = String.valueOf(64 * 1024 * 1024);

    private final Map<String, Object> kafka;
    private final String topic;
    private final int chunkBytes;
    private final TopicPartition partition;
    private KafkaProducer<String, byte[]> producer;
    private boolean fenced;

    /** Connects on first use (on the coordinator's snapshot thread), not here. */
    public KafkaSnapshotStore(Map<String, Object> kafka, String topic, int chunkBytes) {
        this.kafka = Map.copyOf(kafka);
        this.topic = topic;
        this.chunkBytes = chunkBytes;
        this.partition = new TopicPartition(topic, 0);
    }

    @Override
    public String describe() {
        return "Kafka topic " + topic;
    }

    @Override
    public Optional<CoordinatorSnapshot> latest() {
        producer(); // first: aborts a transaction a previous coordinator left open, which would hold read_committed back
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, CoordinatorSnapshot.Piece> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition); // the last stable offset, read_committed
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() - deadline > 0) { // e.g. the broker went away: the coordinator retries the load
                    throw new IllegalStateException("read " + describe() + " only up to offset " + consumer.position(partition)
                            + " of " + end + " within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Header round = r.headers().lastHeader(ROUND_HEADER);
                    if (r.key() != null && r.value() != null && round != null) {
                        latest.put(r.key(), new CoordinatorSnapshot.Piece(r.key(), ByteBuffer.wrap(round.value()).getLong(), r.value()));
                    }
                }
            }
        }
        return latest.isEmpty() ? Optional.empty() : Optional.of(CoordinatorSnapshot.decode(latest, describe()));
    }

    @Override
    public long write(CoordinatorSnapshot snapshot) {
        KafkaProducer<String, byte[]> p = producer();
        long bytes = 0;
        try {
            p.beginTransaction();
            for (CoordinatorSnapshot.Piece piece : snapshot.encode(chunkBytes)) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, piece.key(), piece.value());
                record.headers().add(ROUND_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(piece.round()).array());
                p.send(record);
                bytes += piece.value().length;
            }
            p.commitTransaction();
            return bytes;
        } catch (KafkaException e) {
            if (isFenced(e)) {
                fenced = true; // a new producer would fence the newer coordinator in turn
                close();
                throw new IllegalStateException("another DiLoCo coordinator writes the snapshots of " + topic
                        + " now; this one stops writing", e);
            }
            try {
                p.abortTransaction();
            } catch (KafkaException abort) {
                close(); // the producer is unusable; the next write opens a new one
            }
            throw new IllegalStateException("cannot write the DiLoCo snapshot of round " + snapshot.round() + " to " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean isFenced(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ProducerFencedException || c instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private KafkaProducer<String, byte[]> producer() {
        if (fenced) {
            throw new IllegalStateException("another DiLoCo coordinator writes the snapshots of " + topic + " now");
        }
        if (producer == null) {
            try (Admin admin = Admin.create(kafka)) {
                TopicBootstrap.ensure(admin, List.of(new TopicSpec(topic, 1, Map.of("cleanup.policy", "compact",
                        "max.message.bytes", String.valueOf(chunkBytes + HEADROOM), "segment.bytes", SEGMENT_BYTES))));
            }
            Map<String, Object> props = new HashMap<>(kafka);
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "millrace-diloco-coordinator-" + topic);
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, chunkBytes + HEADROOM);
            props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "millrace-diloco-snapshots");
            KafkaProducer<String, byte[]> created = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
            try {
                created.initTransactions();
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                throw new IllegalStateException("cannot start the DiLoCo snapshot producer on " + topic + ": " + e.getMessage(), e);
            }
            producer = created;
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}
