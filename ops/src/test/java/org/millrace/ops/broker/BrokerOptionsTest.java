package org.millrace.ops.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings of the embedded broker as read from reference.conf and overrides. */
class BrokerOptionsTest {

    private static final Path DATA = Path.of("millrace-data");

    @Test
    void referenceConfDefaultsPickAFreePortWithNoOverrides() {
        Config config = ConfigFactory.load();
        BrokerOptions options = BrokerOptions.fromConfig(config, DATA);

        assertEquals(0, options.port());
        assertEquals(Duration.ofSeconds(60), options.startTimeout());
        assertEquals(Map.of(), options.overrides());
        assertEquals(Duration.ofSeconds(3), BrokerLocator.probeTimeout(config));
        assertEquals(DATA.resolve("kafka"), options.kafkaDir());
    }

    @Test
    void quotedAndNestedOverrideNamesBothBecomeDottedKafkaProperties() {
        Config config = ConfigFactory.parseString("""
                millrace.broker {
                  port = 19092
                  start-timeout = 5s
                  overrides { "log.retention.hours" = 24, num.partitions = 4 }
                }
                """).withFallback(ConfigFactory.load());
        BrokerOptions options = BrokerOptions.fromConfig(config, DATA);

        assertEquals(19092, options.port());
        assertEquals(Duration.ofSeconds(5), options.startTimeout());
        assertEquals(Map.of("log.retention.hours", "24", "num.partitions", "4"), options.overrides());
    }

    @Test
    void aPortOutOfRangeIsRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BrokerOptions(DATA, 65535, Map.of()));
        assertTrue(e.getMessage().contains("millrace.broker.port"), e.getMessage());
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
    }

    @Test
    void aZeroStartTimeoutIsRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BrokerOptions(DATA, 0, Map.of(), Duration.ZERO));
        assertTrue(e.getMessage().contains("millrace.broker.start-timeout"), e.getMessage());
    }
}
