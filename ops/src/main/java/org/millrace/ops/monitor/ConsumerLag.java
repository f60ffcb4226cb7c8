package org.millrace.ops.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag per group and topic, measured with the admin client: for every partition a group has
 * committed an offset on, the last stable offset (what a {@code read_committed} consumer can read —
 * Millrace's topics are written in transactions) minus the committed offset, summed over the topic's
 * partitions.
 *
 * @param group     consumer group
 * @param topic     topic
 * @param committed committed offsets, summed over partitions
 * @param end       last stable offsets of those partitions, summed
 * @param lag       records the group has still to read (never negative per partition)
 */
public record ConsumerLag(String group, String topic, long committed, long end, long lag) {

    /** Measures the lag of the groups and topics the predicates accept, sorted by group and topic. */
    public static List<ConsumerLag> measure(Admin admin, Predicate<String> groups, Predicate<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Collection<ConsumerGroupListing> listings = get(admin.listConsumerGroups().all(), deadline, "listing consumer groups");
        Map<String, Map<TopicPartition, Long>> committedByGroup = new TreeMap<>();
        for (ConsumerGroupListing listing : listings) {
            if (!groups.test(listing.groupId())) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = get(
                    admin.listConsumerGroupOffsets(listing.groupId()).partitionsToOffsetAndMetadata(), deadline,
                    "reading the offsets of group " + listing.groupId());
            Map<TopicPartition, Long> committed = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null && topics.test(tp.topic())) {
                    committed.put(tp, om.offset());
                }
            });
            if (!committed.isEmpty()) {
                committedByGroup.put(listing.groupId(), committed);
            }
        }
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        committedByGroup.values().forEach(m -> m.keySet().forEach(tp -> wanted.put(tp, OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = wanted.isEmpty() ? Map.of()
                : get(admin.listOffsets(wanted, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), deadline,
                "reading end offsets");
        List<ConsumerLag> out = new ArrayList<>();
        committedByGroup.forEach((group, committed) -> {
            Map<String, long[]> perTopic = new TreeMap<>(); // topic -> {committed, end, lag}
            committed.forEach((tp, offset) -> {
                ListOffsetsResult.ListOffsetsResultInfo end = ends.get(tp);
                if (end == null) {
                    return;
                }
                long[] sums = perTopic.computeIfAbsent(tp.topic(), t -> new long[3]);
                sums[0] += offset;
                sums[1] += end.offset();
                sums[2] += Math.max(0, end.offset() - offset);
            });
            perTopic.forEach((topic, s) -> out.add(new ConsumerLag(group, topic, s[0], s[1], s[2])));
        });
        return out;
    }

    static <T> T get(KafkaFuture<T> future, long deadline, String what) {
        try {
            return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not finish in time", e);
        }
    }
}
