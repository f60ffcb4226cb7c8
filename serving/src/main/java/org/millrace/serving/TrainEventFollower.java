package org.millrace.serving;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.millrace.common.KafkaClients;
import org.millrace.common.Json;
import org.millrace.common.TrainEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code millrace.train.events} on its own thread and offers every checkpoint of one run to a
 * {@link CheckpointReloader}. Starts at the end of the topic (the server loads the newest checkpoint
 * on disk when it starts); no consumer group, nothing committed.
 */
public final class TrainEventFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainEventFollower.class);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param kafka    client properties (bootstrap servers and pass-through settings)
     * @param topic    the train events topic
     * @param run      the run whose checkpoints to serve; null for every run
     * @param reloader where checkpoints are offered
     */
    public TrainEventFollower(Map<String, Object> kafka, String topic, String run, CheckpointReloader reloader) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-serving-events");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // fix the start now: an event published after this returns is seen
        thread = new Thread(() -> follow(run, reloader), "millrace-serving-events");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(String run, CheckpointReloader reloader) {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TrainEvent event;
                    try {
                        event = Json.read(r.value(), TrainEvent.class);
                    } catch (RuntimeException e) {
                        LOG.warn("skipping unreadable train event at offset {}: {}", r.offset(), e.getMessage());
                        continue;
                    }
                    if (event.announcesCheckpoint() && event.checkpoint() != null && (run == null || run.equals(event.run()))) {
                        reloader.offer(Path.of(event.checkpoint()));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaClients.stopPolling(thread, consumer);
    }
}
