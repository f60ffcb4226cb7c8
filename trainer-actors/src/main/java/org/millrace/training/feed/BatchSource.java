package org.millrace.training.feed;

import java.time.Duration;

/** Batches per curriculum bucket: from Kafka ({@link BatchFeed}) or held in memory ({@link InMemoryBatches}). */
public interface BatchSource extends AutoCloseable {

    /** The next batch of {@code bucket}, or null if none is ready within {@code timeout}. */
    FedBatch next(String bucket, Duration timeout) throws InterruptedException;

    /**
     * Whether {@code bucket} has run dry: no batch is ready, its partitions are read to their end, and nothing
     * new has come for the dry wait.
     */
    boolean isDry(String bucket);

    /** Stops reading and frees every batch not handed out. */
    @Override
    void close();
}
