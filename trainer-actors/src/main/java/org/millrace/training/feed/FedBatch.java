package org.millrace.training.feed;

import org.apache.kafka.common.TopicPartition;
import org.millrace.common.TokenBatchCodec;

/**
 * A batch handed to the trainer with where it came from. Closing it releases its Arrow memory (or hands
 * it back to an in-memory source); tensors created from {@link TokenBatchCodec.Decoded#tokenBuffer()}
 * must be closed or copied before that.
 */
public final class FedBatch implements AutoCloseable {
    private final String bucket;
    private final TopicPartition partition;
    private final long offset;
    private final int epoch;
    private final TokenBatchCodec.Decoded batch;
    private final Runnable release;
    private boolean closed;

    /**
     * @param bucket    the curriculum bucket whose topic it came from
     * @param partition the batch topic partition
     * @param offset    the record's offset
     * @param epoch     the pass over its bucket the batch was read in: complete passes before that one (0 = first)
     * @param batch     the decoded batch, backed by Arrow memory
     * @param release   what closing does (frees the batch, or returns it to its owner)
     */
    public FedBatch(String bucket, TopicPartition partition, long offset, int epoch, TokenBatchCodec.Decoded batch,
                    Runnable release) {
        this.bucket = bucket;
        this.partition = partition;
        this.offset = offset;
        this.epoch = epoch;
        this.batch = batch;
        this.release = release;
    }

    public String bucket() {
        return bucket;
    }

    public TopicPartition partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public int epoch() {
        return epoch;
    }

    public TokenBatchCodec.Decoded batch() {
        return batch;
    }

    /** Real tokens of every row (positions after them are padding). */
    public int[] rowLengths() {
        int[] lengths = new int[batch.rowCount()];
        for (int r = 0; r < lengths.length; r++) {
            lengths[r] = batch.rowLength(r);
        }
        return lengths;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
