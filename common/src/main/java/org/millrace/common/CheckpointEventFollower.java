package org.millrace.common;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code millrace.train.events} on its own thread and hands every checkpoint event of one run (or of
 * every run) to a callback: the evaluator judges those checkpoints, the server reloads them. It assigns the
 * topic's partitions itself (no consumer group, nothing committed) and starts at the end of the topic, or at its
 * beginning when asked. An unreadable event is logged and skipped.
 */
public final class CheckpointEventFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointEventFollower.class);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param kafka         client properties (bootstrap servers and pass-through settings)
     * @param topic         the train events topic
     * @param clientId      the consumer's client id, unless {@code kafka} sets one; also the thread's name
     * @param run           the run whose checkpoints to follow; null for every run
     * @param fromBeginning start at the topic's beginning instead of its end
     * @param onCheckpoint  called on the follower's thread with each checkpoint event, in order
     */
    public CheckpointEventFollower(Map<String, Object> kafka, String topic, String clientId, String run, boolean fromBeginning,
                                   Consumer<TrainEvent> onCheckpoint) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        if (fromBeginning) {
            consumer.seekToBeginning(parts);
        } else {
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // fix the start now: an event published after this returns is seen
        }
        thread = new Thread(() -> follow(run, onCheckpoint), clientId);
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(String run, Consumer<TrainEvent> onCheckpoint) {
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
                    if (event.announcesCheckpoint() && (run == null || run.equals(event.run()))) {
                        onCheckpoint.accept(event);
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
