package org.millrace.training;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.TrainEvent;

/** Publishes {@link TrainEvent}s to {@code millrace.train.events}, keyed by run. */
public final class TrainEventPublisher implements TrainerIo.EventSink {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public TrainEventPublisher(Map<String, Object> kafka, String topic) {
        this.producer = KafkaClients.idempotentProducer(kafka, "millrace-trainer-events");
        this.topic = topic;
    }

    /** Sends an event; checkpoint events are waited for, so that nobody hears of a step before its checkpoint exists. */
    @Override
    public void publish(TrainEvent event) {
        var future = producer.send(new ProducerRecord<>(topic, event.run(), Json.write(event)));
        if (event.announcesCheckpoint()) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("publishing checkpoint event failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
