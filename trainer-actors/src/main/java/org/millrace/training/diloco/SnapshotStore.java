package org.millrace.training.diloco;

import java.util.Optional;

/**
 * Where the DiLoCo coordinator keeps its {@link CoordinatorSnapshot}s. On a cluster it must be readable by every
 * node the coordinator's Cluster Singleton may move to (the ops module's Kafka topic). The coordinator calls it on a
 * thread of its own, one call at a time, and closes it when it stops.
 */
public interface SnapshotStore extends AutoCloseable {

    /**
     * The latest complete snapshot, or empty if none was written.
     *
     * @throws IllegalStateException if the latest one cannot be used (its message says what changed)
     */
    Optional<CoordinatorSnapshot> latest();

    /**
     * Stores {@code snapshot}; it becomes the latest only once all of it is stored.
     *
     * @return the bytes written (manifest and chunks)
     */
    long write(CoordinatorSnapshot snapshot);

    /** Where the snapshots are, for log lines, e.g. {@code Kafka topic millrace.diloco.coordinator}. */
    String describe();

    @Override
    void close();
}
