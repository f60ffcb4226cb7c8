package org.millrace.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;

/** Consumer lag against a real broker: records produced minus offsets a group committed. */
class ConsumerLagCollectorTest {
    private static final String TOPIC = "lag-test.docs";
    private static final String GROUP = "lag-test-group";

    @TempDir
    static Path dataDir;
    static EmbeddedKafkaBroker broker;
    static Map<String, Object> kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir));
        kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 2, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static void commit(long p0, long p1) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(p0),
                    new TopicPartition(TOPIC, 1), new OffsetAndMetadata(p1))).all().get();
        }
    }

    private static OptionalDouble gauge() {
        for (MetricSnapshot s : PrometheusRegistry.defaultRegistry.scrape(n -> n.startsWith("millrace_kafka_consumer_lag"))) {
            for (GaugeSnapshot.GaugeDataPointSnapshot p : ((GaugeSnapshot) s).getDataPoints()) {
                if (GROUP.equals(p.getLabels().get("group")) && TOPIC.equals(p.getLabels().get("topic"))) {
                    return OptionalDouble.of(p.getValue());
                }
            }
        }
        return OptionalDouble.empty();
    }

    private static void awaitGauge(double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (gauge().orElse(-1) != expected) {
            assertTrue(System.nanoTime() < deadline, "lag gauge should reach " + expected + ", is " + gauge());
            Thread.sleep(50);
        }
    }

    @Test
    void measuresLagPerGroupAndTopicAndServesItAsAGauge() throws Exception {
        commit(1, 3); // partition 0 and 1 hold 5 records each: 4 + 2 still to read
        try (Admin admin = Admin.create(kafka)) {
            List<ConsumerLag> lag = ConsumerLag.measure(admin, GROUP::equals, t -> true, Duration.ofSeconds(10));
            assertEquals(List.of(new ConsumerLag(GROUP, TOPIC, 4, 10, 6)), lag);
            assertEquals(List.of(), ConsumerLag.measure(admin, GROUP::equals, t -> false, Duration.ofSeconds(10)));
        }
        try (ConsumerLagCollector collector = ConsumerLagCollector.start(kafka, GROUP::equals, t -> true, Duration.ofMillis(100))) {
            awaitGauge(6);
            commit(5, 5);
            awaitGauge(0);
            assertEquals(List.of(new ConsumerLag(GROUP, TOPIC, 10, 10, 0)), collector.last());
        }
        assertTrue(gauge().isEmpty(), "a closed collector leaves the registry");
    }
}
