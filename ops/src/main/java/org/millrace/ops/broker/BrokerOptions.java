package org.millrace.ops.broker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the embedded broker.
 *
 * @param dataDir      the Millrace data directory; the broker keeps everything under {@code <dataDir>/kafka}
 * @param port         the PLAINTEXT port on 127.0.0.1; 0 picks a free port (and a free controller port),
 *                     any other value puts the controller on {@code port + 1}
 * @param overrides    broker properties applied last, over the embedded defaults
 * @param startTimeout how long formatting and start-up may take before the start fails
 */
public record BrokerOptions(Path dataDir, int port, Map<String, String> overrides, Duration startTimeout) {

    /** The default of {@code millrace.broker.start-timeout}. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    public BrokerOptions {
        Objects.requireNonNull(dataDir, "broker data dir must be given");
        if (port != 0 && (port < 1 || port > 65534)) {
            throw new IllegalArgumentException("millrace.broker.port must be 0 (pick a free port) or 1..65534"
                    + " (the controller listens on port + 1), was " + port);
        }
        Objects.requireNonNull(overrides, "millrace.broker.overrides must be given (may be empty)");
        overrides.forEach((key, value) -> {
            if (key == null || key.isBlank() || value == null) {
                throw new IllegalArgumentException("millrace.broker.overrides holds an entry without a name or value: "
                        + key + " = " + value);
            }
        });
        overrides = Map.copyOf(overrides);
        Objects.requireNonNull(startTimeout, "millrace.broker.start-timeout must be given");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("millrace.broker.start-timeout must be positive, was " + startTimeout);
        }
    }

    /** Options with the default start timeout. */
    public BrokerOptions(Path dataDir, int port, Map<String, String> overrides) {
        this(dataDir, port, overrides, DEFAULT_START_TIMEOUT);
    }

    /** A broker on a free port with the embedded defaults. */
    public static BrokerOptions onFreePort(Path dataDir) {
        return new BrokerOptions(dataDir, 0, Map.of());
    }

    /**
     * Reads {@code millrace.broker.port}, {@code start-timeout} and {@code overrides} from a resolved config
     * (reference.conf supplies the defaults).
     */
    public static BrokerOptions fromConfig(Config config, Path dataDir) {
        Config broker = config.getConfig("millrace.broker");
        Map<String, String> overrides = new LinkedHashMap<>();
        Config overrideConfig = broker.getConfig("overrides");
        // Both `log.retention.ms = 1` (nested objects) and `"log.retention.ms" = 1` (one quoted key) name the
        // same Kafka property: join the path elements back with dots.
        overrideConfig.entrySet().forEach(entry -> overrides.put(
                String.join(".", ConfigUtil.splitPath(entry.getKey())),
                String.valueOf(entry.getValue().unwrapped())));
        return new BrokerOptions(dataDir, broker.getInt("port"), overrides, broker.getDuration("start-timeout"));
    }

    /** {@code <dataDir>/kafka}: the broker's own directory. */
    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }
}
