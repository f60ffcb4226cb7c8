package org.millrace.training.feed;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a feed starts: from a checkpoint, or from the beginning (empty maps).
 *
 * @param offsets next offset per batch partition; partitions not named start at their beginning
 * @param epochs  per bucket the pass to go on with (complete passes before it); buckets not named start at 0
 */
public record FeedStart(Map<TopicPartition, Long> offsets, Map<String, Integer> epochs) {
    public FeedStart {
        offsets = Map.copyOf(offsets);
        epochs = Map.copyOf(epochs);
    }

    public static FeedStart beginning() {
        return new FeedStart(Map.of(), Map.of());
    }
}
