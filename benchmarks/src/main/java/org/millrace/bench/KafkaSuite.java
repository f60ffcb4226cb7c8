package org.millrace.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;

/**
 * Raw Kafka throughput with 1 KB records on the broker in use: the yardstick the ingest and curation
 * figures are divided by. A warm-up pass runs first (a cold broker is 2–3× slower).
 */
public final class KafkaSuite implements BenchSuite {
    private static final int RECORD_BYTES = 1024;
    private static final int RECORDS = 200_000;

    @Override
    public String prefix() {
        return "kafka";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        String topic = "millrace.bench.kafka-" + UUID.randomUUID();
        try (Admin admin = Admin.create(ctx.kafka())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        byte[] value = new byte[RECORD_BYTES];
        new Random(42).nextBytes(value);
        produce(ctx, topic, value, RECORDS / 4); // warm-up
        Produced produced = produce(ctx, topic, value, RECORDS);
        double produceSeconds = produced.seconds();
        consume(ctx, topic, RECORDS / 4); // warm-up, reads the warm-up records
        double consumeSeconds = consume(ctx, topic, RECORDS + RECORDS / 4);
        double mb = RECORDS * (double) RECORD_BYTES / 1e6;
        double produceMb = mb / produceSeconds;
        double consumeMb = (mb * 1.25) / consumeSeconds;
        ctx.progress().accept(String.format("produce %.1f MB/s (%.0f rec/s), consume %.1f MB/s", produceMb,
                RECORDS / produceSeconds, consumeMb));
        ctx.progress().accept("produce, per MB of records, " + produced.budget());
        try (Admin admin = Admin.create(ctx.kafka())) {
            admin.deleteTopics(List.of(topic)).all().get();
        }
        return List.of(
                new Figure("kafka.produce.mb_per_s", produceMb, "MB/s", null, true),
                new Figure("kafka.consume.mb_per_s", consumeMb, "MB/s", null, true),
                new Figure("kafka.produce.cpu_ms_per_mb", produced.budget().totalMsPerMb(), "ms/MB", null, false));
    }

    /** Seconds a produce took (until the producer is closed) and the CPU it spent until everything was acknowledged. */
    private record Produced(double seconds, CpuBudget budget) {
    }

    private static Produced produce(BenchContext ctx, String topic, byte[] value, int n) {
        Map<String, Object> props = new HashMap<>(ctx.kafka());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        CpuBudget.Snapshot before = CpuBudget.snapshot();
        long start = System.nanoTime();
        CpuBudget budget;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
            // before close: the producer's network thread ends with it
            budget = CpuBudget.between(before, CpuBudget.snapshot(), n * (double) value.length / 1e6, Map.of());
        }
        return new Produced((System.nanoTime() - start) / 1e9, budget);
    }

    private static double consume(BenchContext ctx, String topic, int n) {
        Map<String, Object> props = new HashMap<>(ctx.kafka());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long start = System.nanoTime();
            long seen = 0;
            long bytes = 0;
            while (seen < n) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    bytes += r.value().length;
                }
                if (System.nanoTime() - start > 120_000_000_000L) {
                    throw new IllegalStateException("consumed only " + seen + " of " + n + " records in 120 s");
                }
            }
            if (bytes == 0) {
                throw new IllegalStateException("no bytes consumed");
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
