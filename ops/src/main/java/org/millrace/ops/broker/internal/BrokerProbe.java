package org.millrace.ops.broker.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/** Asks a broker for its cluster id, giving up after a short timeout. */
public final class BrokerProbe {

    private BrokerProbe() {
    }

    /** The cluster id the broker at {@code bootstrapServers} reports, or empty when it does not answer in time. */
    public static Optional<String> clusterId(String bootstrapServers, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "millrace-broker-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) millis,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) millis,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200L);
        Admin admin = Admin.create(config);
        try {
            String id = admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                    .clusterId().get(millis, TimeUnit.MILLISECONDS);
            return Optional.ofNullable(id);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            admin.close(Duration.ZERO); // nothing worth waiting for: the answer is in or the probe gave up
        }
    }
}
