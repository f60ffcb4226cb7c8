package org.millrace.training.feed;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far training has got in the batch topics: per partition the offset after the last batch trained on,
 * per bucket the epoch (pass, {@link FedBatch#epoch()}) of that bucket's last batch trained on. This, not what the feed has prefetched, is what a checkpoint records,
 * so batches read ahead but not trained are read again after a restart, and none is trained twice.
 */
public final class FeedPosition {
    private final Map<TopicPartition, Long> offsets;
    private final Map<String, Integer> epochs;

    public FeedPosition(FeedStart start) {
        this.offsets = new HashMap<>(start.offsets());
        this.epochs = new HashMap<>(start.epochs());
    }

    /** Records that {@code batch} has been trained on. */
    public void trained(FedBatch batch) {
        int epoch = epochs.getOrDefault(batch.bucket(), 0);
        if (batch.epoch() > epoch) {
            // A new pass over the bucket: its other partitions have not been read in this pass yet.
            offsets.keySet().removeIf(tp -> tp.topic().equals(batch.partition().topic()));
            epochs.put(batch.bucket(), batch.epoch());
        }
        offsets.put(batch.partition(), batch.offset() + 1);
    }

    public FeedStart start() {
        return new FeedStart(offsets, epochs);
    }

    public Map<TopicPartition, Long> offsets() {
        return Map.copyOf(offsets);
    }

    public Map<String, Integer> epochs() {
        return Map.copyOf(epochs);
    }

    /** The highest epoch of any bucket (for progress displays). */
    public int maxEpoch() {
        return epochs.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
