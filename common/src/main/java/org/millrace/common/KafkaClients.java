package org.millrace.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client properties of every Millrace client: the bootstrap servers, then every raw client
 * property under {@code millrace.kafka.client} (SASL/SSL settings pass through here), then the
 * caller's own.
 */
public final class KafkaClients {
    private KafkaClients() {
    }

    /**
     * A producer of JSON or binary records keyed by string that never writes a record twice on retry
     * (idempotence, acks from all in-sync replicas): what every Millrace event publisher uses.
     */
    public static KafkaProducer<String, byte[]> idempotentProducer(Map<String, Object> kafka, String clientId) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    public static Map<String, Object> properties(Config config, String bootstrapServers, Map<String, Object> own) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (config.hasPath("millrace.kafka.client")) {
            for (Map.Entry<String, ConfigValue> e : config.getConfig("millrace.kafka.client").entrySet()) {
                // keys like "security.protocol" come back quoted when they contain dots
                props.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
            }
        }
        props.putAll(own);
        return props;
    }

    /**
     * Stops a thread that polls {@code consumer} and closes the consumer: wakes the poll (the thread must treat
     * {@code WakeupException} as the end and check its own running flag, set false before this call), waits up to
     * 10 s for the thread, then closes the consumer within 5 s. A consumer is not thread-safe, so it is closed only
     * after its thread has ended, or been given up on.
     */
    public static void stopPolling(Thread thread, Consumer<?, ?> consumer) {
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
