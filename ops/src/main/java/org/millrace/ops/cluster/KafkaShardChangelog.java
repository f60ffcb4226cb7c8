package org.millrace.ops.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.ops.broker.TopicBootstrap;
import org.millrace.ops.broker.TopicSpec;
import org.millrace.processing.BandShard;

/**
 * The dedup shards' changelog on a compacted Kafka topic with one partition per shard: a shard appends
 * what it registered before it answers, and a shard that starts where its RocksDB directory is missing
 * or behind (another node's disk) replays its partition from the position its store holds. So the dedup
 * state survives a node without a volume shared by the process nodes, as Kafka Streams' state stores do.
 * Records are keyed by shard, document and kind of key, so compaction keeps every registration.
 */
public final class KafkaShardChangelog implements BandShard.Changelog, AutoCloseable {
    private final String topic;
    private final int shards;
    private final Map<String, Object> kafka;
    private final KafkaProducer<String, byte[]> producer;
    private final boolean waitForAppend;
    private final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicLong> acked =
            new java.util.concurrent.ConcurrentHashMap<>();

    private KafkaShardChangelog(String topic, int shards, Map<String, Object> kafka, boolean waitForAppend) {
        this.topic = topic;
        this.shards = shards;
        this.kafka = kafka;
        this.waitForAppend = waitForAppend;
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 0); // a shard waits for its append
        this.producer = KafkaClients.idempotentProducer(props, "millrace-dedup-changelog");
    }

    /**
     * Creates the topic when missing (one partition per shard, compacted) and a producer for it.
     *
     * @param waitForAppend a shard answers only once its registrations are in Kafka; off, it answers at
     *                      once and they follow within milliseconds (a node that dies in between loses
     *                      them from the log: a later near duplicate of such a document may then pass;
     *                      no document is lost or repeated either way)
     */
    public static KafkaShardChangelog open(Map<String, Object> kafka, String topic, int shards, boolean waitForAppend) {
        try (Admin admin = Admin.create(kafka)) {
            TopicBootstrap.ensure(admin, List.of(new TopicSpec(topic, shards, Map.of("cleanup.policy", "compact"))));
        }
        return new KafkaShardChangelog(topic, shards, kafka, waitForAppend);
    }

    /** Returns the position of the last record appended, or, without waiting, of the last one acknowledged so far (-1: none yet). */
    @Override
    public long append(int shard, List<BandShard.Registration> registrations) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(registrations.size());
        java.util.concurrent.atomic.AtomicLong shardAcked = acked.computeIfAbsent(shard, k -> new java.util.concurrent.atomic.AtomicLong(-1));
        for (BandShard.Registration r : registrations) {
            String key = shard + "/" + r.id() + (r.exact() != null ? "#exact" : "#bands");
            sent.add(producer.send(new ProducerRecord<>(topic, partition(shard), key, Json.write(r)), (metadata, failure) -> {
                if (failure == null) {
                    shardAcked.accumulateAndGet(metadata.offset(), Math::max);
                }
            }));
        }
        if (!waitForAppend) {
            return shardAcked.get();
        }
        // no flush(): it would also wait for the other shards' records; with linger.ms 0 each is on its way
        long last = -1;
        try {
            for (Future<RecordMetadata> f : sent) {
                last = Math.max(last, f.get().offset());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot append to the dedup changelog " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to the dedup changelog " + topic, e);
        }
        return last;
    }

    /** Applies the shard's records after the position its store holds; returns how many were applied. */
    public long replay(int shard, BandShard target) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        String prefix = shard + "/";
        long applied = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, partition(shard));
            consumer.assign(List.of(tp));
            long from = target.changelogPosition() + 1;
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            if (from >= end) {
                return 0;
            }
            consumer.seek(tp, Math.max(from, consumer.beginningOffsets(List.of(tp)).get(tp)));
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && r.key().startsWith(prefix)) {
                        target.apply(Json.read(r.value(), BandShard.Registration.class), r.offset());
                        applied++;
                    }
                }
            }
        }
        return applied;
    }

    private int partition(int shard) {
        return shard % shards;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
