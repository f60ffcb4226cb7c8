package org.millrace.ops.broker;

/**
 * A Kafka broker this process can use: either one it started ({@link EmbeddedKafkaBroker}, closing stops it)
 * or one another process runs on the same data directory (closing does nothing).
 */
public interface BrokerHandle extends AutoCloseable {

    /** {@code host:port} for Kafka clients' {@code bootstrap.servers}. */
    String bootstrapServers();

    /** The id the data directory was formatted with. */
    String clusterId();

    /** Whether this process started the broker (and so stops it on {@link #close()}). */
    boolean startedHere();

    /** Stops the broker if this process started it; otherwise does nothing. */
    @Override
    void close();
}
