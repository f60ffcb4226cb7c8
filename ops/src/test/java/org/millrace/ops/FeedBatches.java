package org.millrace.ops;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.TokenBatch;
import org.millrace.common.TokenBatchCodec;
import org.millrace.training.feed.BatchFeed;
import org.millrace.training.feed.FedBatch;

/** Token batches for the tests of {@link BatchFeed} on a real broker, and waiting on the feed with a deadline. */
public final class FeedBatches {
    private static final long DEADLINE_NANOS = 30_000_000_000L;

    private FeedBatches() {
    }

    /** A one-row batch whose id is {@code id}, as Arrow IPC bytes. */
    public static byte[] encode(BufferAllocator allocator, String bucket, String id) {
        int seqLen = 4;
        int[] tokens = {1, 2, 3, 4, 5};
        TokenBatch.RowSpans row = new TokenBatch.RowSpans(seqLen + 1, List.of(id), new int[] {0}, List.of("test"));
        return TokenBatchCodec.encode(new TokenBatch(id, bucket, ByteTokenizer.NAME, seqLen, tokens, List.of(row)),
                allocator);
    }

    /** The next batch of {@code bucket}; fails if none comes within 30 s. */
    public static FedBatch take(BatchFeed feed, String bucket) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        FedBatch b;
        while ((b = feed.next(bucket, Duration.ofMillis(200))) == null) {
            assertTrue(System.nanoTime() < deadline, "no " + bucket + " batch within 30 s");
        }
        return b;
    }

    /** Waits until {@code bucket} is dry, failing if it hands out a batch meanwhile or is not dry within 30 s. */
    public static void awaitDry(BatchFeed feed, String bucket) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!feed.isDry(bucket)) {
            assertTrue(System.nanoTime() < deadline, bucket + " not dry within 30 s");
            assertNull(feed.next(bucket, Duration.ofMillis(50)), "a batch of " + bucket + " while waiting for it to be dry");
        }
    }
}
