package org.millrace.evaluation;

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
import org.millrace.common.KafkaClients;
import org.millrace.common.Json;
import org.millrace.common.TrainEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code millrace.train.events} on its own thread and hands every checkpoint event of one run to
 * a callback. Starts at the end of the topic: evaluators judge checkpoints written while they run.
 */
public final class TrainEventSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainEventSubscriber.class);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public TrainEventSubscriber(Map<String, Object> kafka, String topic, String run, boolean fromBeginning,
                                Consumer<TrainEvent> onCheckpoint) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-evaluator-events");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        if (fromBeginning) {
            consumer.seekToBeginning(parts);
        } else {
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve the position now, before any event is published
        }
        thread = new Thread(() -> {
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
                        if (event.announcesCheckpoint() && run.equals(event.run())) {
                            onCheckpoint.accept(event);
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            }
        }, "millrace-evaluator-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        KafkaClients.stopPolling(thread, consumer);
    }
}
