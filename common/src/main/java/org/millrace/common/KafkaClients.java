package org.millrace.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Kafka client properties of every Millrace client: the bootstrap servers, then every raw client
 * property under {@code millrace.kafka.client} (SASL/SSL settings pass through here), then the
 * caller's own.
 */
public final class KafkaClients {
    private KafkaClients() {
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
}
