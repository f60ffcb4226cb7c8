package org.millrace.training.feed;

import org.apache.kafka.common.TopicPartition;
import org.millrace.common.TokenBatchCodec;

/**
 * A batch handed to the trainer with where it came from. Closing it frees its Arrow memory; tensors
 * created from {@link TokenBatchCodec.Decoded#tokenBuffer()} must be copied or closed before that.
 *
 * @param partition the batch topic partition
 * @param offset    the record's offset
 * @param epoch     how many times the feed has gone round the batch topics before this batch
 * @param batch     the decoded batch, backed by Arrow memory
 */
public record FedBatch(TopicPartition partition, long offset, int epoch, TokenBatchCodec.Decoded batch) implements AutoCloseable {
    @Override
    public void close() {
        batch.close();
    }
}
