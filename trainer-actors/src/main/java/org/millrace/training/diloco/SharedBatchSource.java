package org.millrace.training.diloco;

import java.time.Duration;
import org.millrace.training.feed.BatchSource;
import org.millrace.training.feed.FedBatch;

/**
 * A DiLoCo worker's share of the batch partitions: of the batches a source hands out, only those of partitions
 * {@code p} with {@code p mod workers == index}; the others are freed unread. With Kafka this still fetches every
 * partition (the feed assigns all of a topic's partitions); it keeps the shares disjoint and the offsets in the
 * worker's checkpoint its own.
 */
public final class SharedBatchSource implements BatchSource {
    private final BatchSource source;
    private final int index;
    private final int workers;

    public SharedBatchSource(BatchSource source, int index, int workers) {
        if (workers < 1 || index < 0 || index >= workers) {
            throw new IllegalArgumentException("worker index " + index + " of " + workers + " workers is out of range");
        }
        this.source = source;
        this.index = index;
        this.workers = workers;
    }

    @Override
    public FedBatch next(String bucket, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            FedBatch fed = source.next(bucket, Duration.ofNanos(Math.max(0, left)));
            if (fed == null) {
                return null;
            }
            if (Math.floorMod(fed.partition().partition(), workers) == index) {
                return fed;
            }
            fed.close();
            if (left <= 0) {
                return null;
            }
        }
    }

    @Override
    public boolean isDry(String bucket) {
        return source.isDry(bucket);
    }

    @Override
    public void close() {
        source.close();
    }
}
