package org.millrace.training.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.common.TopicPartition;
import org.millrace.common.TokenBatch;
import org.millrace.common.TokenBatchCodec;

/**
 * Batches held in memory, decoded once, handed out round and round per bucket (an epoch per round):
 * the yardstick a Kafka-fed trainer is compared with, and a feed for tests without a broker. Batches are
 * handed back, not freed, when the trainer closes them. A bucket without batches is dry.
 */
public final class InMemoryBatches implements BatchSource {
    private final BufferAllocator allocator = new RootAllocator();
    private final Map<String, List<TokenBatchCodec.Decoded>> batches = new LinkedHashMap<>();
    private final Map<String, Integer> cursor = new LinkedHashMap<>();

    /**
     * @param byBucket the batches of each bucket, in the order they are handed out
     * @param start    where to start: offsets are positions in each bucket's list (partition 0 of topic
     *                 {@code memory.<bucket>}), epochs the pass each bucket is in (0 the first)
     */
    public InMemoryBatches(Map<String, List<TokenBatch>> byBucket, FeedStart start) {
        byBucket.forEach((bucket, list) -> {
            List<TokenBatchCodec.Decoded> decoded = new ArrayList<>(list.size());
            for (TokenBatch b : list) {
                decoded.add(TokenBatchCodec.decode(TokenBatchCodec.encode(b, allocator), allocator));
            }
            batches.put(bucket, decoded);
            int epoch = start.epochs().getOrDefault(bucket, 0);
            long offset = start.offsets().getOrDefault(partition(bucket), 0L);
            cursor.put(bucket, Math.toIntExact(epoch * (long) list.size() + offset));
        });
    }

    public static TopicPartition partition(String bucket) {
        return new TopicPartition("memory." + bucket, 0);
    }

    @Override
    public FedBatch next(String bucket, Duration timeout) {
        List<TokenBatchCodec.Decoded> list = list(bucket);
        if (list.isEmpty()) {
            return null;
        }
        int at = cursor.merge(bucket, 1, Integer::sum) - 1;
        int offset = at % list.size();
        return new FedBatch(bucket, partition(bucket), offset, at / list.size(), list.get(offset), () -> { });
    }

    @Override
    public boolean isDry(String bucket) {
        return list(bucket).isEmpty();
    }

    private List<TokenBatchCodec.Decoded> list(String bucket) {
        List<TokenBatchCodec.Decoded> list = batches.get(bucket);
        if (list == null) {
            throw new IllegalArgumentException("no batches of bucket '" + bucket + "' are held (only of " + batches.keySet() + ")");
        }
        return list;
    }

    @Override
    public void close() {
        batches.values().forEach(l -> l.forEach(TokenBatchCodec.Decoded::close));
        allocator.close();
    }
}
