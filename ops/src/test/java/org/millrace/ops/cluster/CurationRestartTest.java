package org.millrace.ops.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.OneBroker;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.CurationStream;
import org.millrace.producers.DocumentPublisher;

/**
 * What {@link CurationRole} waits for before it starts a failed stream again: {@link CurationStream#consumerClosed()}
 * is open while the stream runs and completes once its Kafka consumer has closed, after which a stream of the same
 * node (the same static group.instance.id) joins the group and curates, without being fenced by the old consumer.
 */
@ExtendWith(OneBroker.class)
class CurationRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aStreamOfTheSameNodeCuratesOnceTheOldStreamsConsumerHasClosed(EmbeddedKafkaBroker broker) throws Exception {
        Config config = ConfigFactory.parseMap(Map.of(
                "millrace.kafka.bootstrap-servers", broker.bootstrapServers(),
                "millrace.data-dir", dir.toString(),
                "millrace.topics.prefix", "curation-restart",
                "millrace.curation.consumer-group", "curation-restart",
                "millrace.curation.transactional-id", "curation-restart",
                "millrace.curation.pipeline", List.of("size"),
                "millrace.curation.group-max-wait", "100ms"))
                .withFallback(Settings.load(null)).resolve();
        Topics topics = Topics.fromConfig(config);
        Map<String, Object> kafka;
        try (KafkaConnection connection = KafkaConnection.open(config, dir)) {
            connection.ensureTopics(topics);
            kafka = connection.clientProperties();
        }
        CurationSettings settings = CurationSettings.fromConfig(config, topics);
        assertTrue(settings.staticMembership(), "static membership is on, so both streams share one group.instance.id");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "curation-restart", config);
        try {
            CurationStream first = CurationStream.start(system, settings, topics, new ByteTokenizer(), kafka, "node-a");
            publishAndAwaitCurated(kafka, topics, "first");
            assertFalse(first.consumerClosed().toCompletableFuture().isDone(), "the running stream's consumer is open");
            first.drainAndShutdown(Runnable::run).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            first.consumerClosed().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            CurationStream second = CurationStream.start(system, settings, topics, new ByteTokenizer(), kafka, "node-a");
            publishAndAwaitCurated(kafka, topics, "second");
            assertFalse(second.completion().toCompletableFuture().isDone(), "the second stream runs (it was not fenced)");
            second.drainAndShutdown(Runnable::run).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static void publishAndAwaitCurated(Map<String, Object> kafka, Topics topics, String id) {
        String text = ("A document of the curation restart test, called " + id + ", long enough for the size filter. ").repeat(8);
        try (DocumentPublisher publisher = new DocumentPublisher(kafka, topics)) {
            publisher.publish(Document.of(id, text, "curation-restart-test", DocumentKind.WEB));
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.curated()).stream()
                    .map(i -> new TopicPartition(topics.curated(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(id)) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("document " + id + " not curated within " + WAIT);
    }
}
