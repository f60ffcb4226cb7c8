package org.millrace.ops.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the project needs: missing ones are created, existing ones are kept if their partition
 * count matches. Returns once every partition of every topic has a leader, so producers and consumers can use
 * them at once.
 */
public final class TopicBootstrap {

    /** How long {@link #ensure(Admin, List)} waits for creation and metadata. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);
    private static final long POLL_MILLIS = 20;

    private TopicBootstrap() {
    }

    /** {@link #ensure(Admin, List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static void ensure(Admin admin, List<TopicSpec> topics) {
        ensure(admin, topics, DEFAULT_TIMEOUT);
    }

    /**
     * Creates the missing topics of {@code topics}, tolerates the existing ones, and waits until all are in the
     * broker's metadata with a leader for every partition.
     *
     * @throws IllegalArgumentException if a name is listed twice with different specs
     * @throws IllegalStateException    if an existing topic has another partition count, or the topics are not
     *                                  ready within {@code timeout}
     */
    public static void ensure(Admin admin, List<TopicSpec> topics, Duration timeout) {
        Map<String, TopicSpec> byName = byName(topics);
        if (byName.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<NewTopic> newTopics = new ArrayList<>();
        // Replication factor left to the broker (default.replication.factor): 1 on the embedded broker, the
        // cluster's choice elsewhere.
        byName.values().forEach(spec -> newTopics.add(
                new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty()).configs(spec.config())));
        Map<String, KafkaFuture<Void>> created = admin.createTopics(newTopics).values();
        List<String> createdNow = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> entry : created.entrySet()) {
            try {
                entry.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                createdNow.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + entry.getKey() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + entry.getKey() + " took longer than " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + entry.getKey(), e);
            }
        }
        awaitReady(admin, byName, deadline, timeout);
        log.info("Topics ready: {} (created now: {})", byName.keySet(), createdNow);
    }

    private static void awaitReady(Admin admin, Map<String, TopicSpec> byName, long deadline, Duration timeout) {
        String lastProblem = "not described yet";
        while (System.nanoTime() - deadline < 0) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(byName.keySet()).allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                Optional<String> notReady = notReady(byName, described);
                if (notReady.isEmpty()) {
                    notReady = withoutLog(admin, described, deadline);
                }
                if (notReady.isEmpty()) {
                    return;
                }
                lastProblem = notReady.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException("cannot describe topics " + byName.keySet() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                lastProblem = e.getCause().getMessage(); // e.g. a topic not yet in this broker's metadata
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics " + byName.keySet(), e);
            }
            pause();
        }
        throw new IllegalStateException("topics " + byName.keySet() + " were not ready within " + timeout
                + ": " + lastProblem);
    }

    /** Why the described topics are not usable yet, or empty when they are; throws on a partition mismatch. */
    private static Optional<String> notReady(Map<String, TopicSpec> byName, Map<String, TopicDescription> described) {
        for (TopicSpec spec : byName.values()) {
            TopicDescription description = described.get(spec.name());
            if (description == null) {
                return Optional.of("topic " + spec.name() + " is not in the metadata yet");
            }
            int actual = description.partitions().size();
            if (actual != spec.partitions()) {
                throw new IllegalStateException("topic " + spec.name() + " exists with " + actual
                        + " partitions, but " + spec.partitions() + " are configured; change the setting or"
                        + " alter the topic (kafka-topics --alter --partitions) on purpose");
            }
            for (TopicPartitionInfo partition : description.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return Optional.of("partition " + partition.partition() + " of " + spec.name() + " has no leader yet");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A partition whose replica has no log on its broker yet, or empty. The metadata names a leader a moment
     * before the broker has made the partition's log and become its leader; a produce in that moment fails
     * with NOT_LEADER_OR_FOLLOWER, and an idempotent producer whose first batch failed so while its second
     * got in (the broker takes any first sequence number from a producer it does not know) then retries
     * that first batch against OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout. Where the cluster
     * does not allow describing log directories, the leaders in the metadata have to do.
     */
    private static Optional<String> withoutLog(Admin admin, Map<String, TopicDescription> described, long deadline)
            throws InterruptedException, TimeoutException {
        List<TopicPartitionReplica> replicas = new ArrayList<>();
        for (TopicDescription d : described.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                p.replicas().forEach(node -> replicas.add(new TopicPartitionReplica(d.name(), p.partition(), node.id())));
            }
        }
        try {
            Map<TopicPartitionReplica, DescribeReplicaLogDirsResult.ReplicaLogDirInfo> dirs = admin.describeReplicaLogDirs(replicas)
                    .all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            for (TopicPartitionReplica r : replicas) {
                DescribeReplicaLogDirsResult.ReplicaLogDirInfo info = dirs.get(r);
                if (info == null || info.getCurrentReplicaLogDir() == null) {
                    return Optional.of("partition " + r.partition() + " of " + r.topic() + " has no log on broker " + r.brokerId() + " yet");
                }
            }
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return Optional.of(e.getCause().getMessage());
            }
            return Optional.empty(); // not allowed or not supported here
        }
    }

    private static Map<String, TopicSpec> byName(List<TopicSpec> topics) {
        Map<String, TopicSpec> byName = new HashMap<>();
        for (TopicSpec spec : topics) {
            TopicSpec previous = byName.putIfAbsent(spec.name(), spec);
            if (previous != null && !previous.equals(spec)) {
                throw new IllegalArgumentException("topic " + spec.name() + " is listed twice with different specs: "
                        + previous + " and " + spec);
            }
        }
        return byName;
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Metadata propagates within milliseconds on one node; a short pause keeps the poll from spinning. */
    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics", e);
        }
    }
}
