package org.millrace.evaluation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;

/** Publishes {@link EvalResult}s to {@code millrace.eval.results}, keyed by run. */
public final class EvalResultPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public EvalResultPublisher(Map<String, Object> kafka, String topic) {
        this.producer = KafkaClients.idempotentProducer(kafka, "millrace-eval-results");
        this.topic = topic;
    }

    /** Sends the results of one checkpoint and waits until the broker has them. */
    public void publish(List<EvalResult> results) {
        var futures = results.stream()
                .map(r -> producer.send(new ProducerRecord<>(topic, r.run(), Json.write(r)))).toList();
        try {
            for (var f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing evaluation results failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
