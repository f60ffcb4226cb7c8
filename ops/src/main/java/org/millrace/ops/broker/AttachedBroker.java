package org.millrace.ops.broker;

/**
 * A broker that another process runs on the same data directory; this handle only points at it.
 *
 * @param bootstrapServers where it listens
 * @param clusterId        the id it reported
 * @param pid              the process that runs it
 */
public record AttachedBroker(String bootstrapServers, String clusterId, long pid) implements BrokerHandle {

    @Override
    public boolean startedHere() {
        return false;
    }

    /** Does nothing: the broker belongs to process {@link #pid}. */
    @Override
    public void close() {
    }
}
