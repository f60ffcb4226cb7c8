package org.millrace.training.feed;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.millrace.common.KafkaClients;
import org.millrace.common.ArrowMemoryMetrics;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.TokenBatchCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads token batches from the bucket topics on its own thread into one bounded prefetch queue per bucket,
 * so the trainer takes the next batch of whichever bucket the curriculum draws.
 *
 * <p>One consumer serves every bucket; a bucket whose queue is full has its partitions paused (Kafka's
 * {@code pause}/{@code resume}), so a bucket the curriculum rarely draws never holds up the others, and
 * records are decoded only when their queue has room: Arrow memory is bounded by {@code prefetch} batches
 * per bucket. Decoding is zero-copy up to the trainer's tensor ({@link TokenBatchCodec.Decoded#tokenBuffer()}),
 * and a batch's memory is freed when the trainer closes it, or by {@link #close()} for batches never taken.
 *
 * <p>The feed has no consumer group: where to read from is the trainer's state (the offsets in its
 * checkpoint), so it assigns partitions itself and seeks. A bucket whose partitions are all read to the
 * end, with nothing new for {@code dryWait}, is dry; with {@code repeat} the feed then starts that bucket
 * again from its beginning (its next epoch), and from then on starts each next pass as soon as the last one
 * is read, so the trainer does not wait at every turn.
 *
 * <p>Epochs. A batch carries the pass over its bucket it was read in: the start epoch (the checkpoint's) for
 * the first pass, one more for each start-over. A pass ends only when every batch the broker holds for the
 * bucket has been read, judged against end offsets asked at that moment, and only a pass that read a batch
 * ends at all (an empty bucket, or one holding only aborted records, is not started over). So each pass reads
 * every batch once, in order, and a batch's epoch is the number of complete passes before its own. A bucket
 * that is only temporarily dry (batches still being published) is started over all the same once the dry
 * wait has passed, so the trainer never waits for it: batches published after that are first read in the pass
 * then running and carry its number (an epoch counts passes over the bucket, not reads of each batch). A feed
 * started from a checkpoint ({@link FeedPosition}) goes on with the pass the last trained batch was in.
 *
 * <p>A feed may read only a {@link PartitionShare} of each topic's partitions (a DiLoCo worker's share): it
 * assigns, seeks, watches and starts over only those, and never fetches the others. A bucket whose topic has no
 * partition in the share is dry from the start (after the dry wait) and never starts over.
 */
public final class BatchFeed implements BatchSource {
    private static final Logger LOG = LoggerFactory.getLogger(BatchFeed.class);
    private static final Duration POLL = Duration.ofMillis(50);
    /** The name its Arrow memory is reported under ({@code millrace_memory_arrow_allocated_bytes}). */
    private static final String ARROW_NAME = "trainer-feed";

    private final KafkaConsumer<String, byte[]> consumer;
    private final BufferAllocator allocator = new RootAllocator();
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Map<String, Lane> laneOfTopic = new HashMap<>();
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final boolean repeat;
    private final long dryWaitNanos;
    /** Whether the share holds any partition at all (a consumer with none assigned must not poll). */
    private final boolean assigned;
    private volatile boolean running = true;
    private volatile long skipped;

    /** One bucket: its partitions, its prefetch queue and records polled but not yet decoded. */
    private static final class Lane {
        final String bucket;
        /** The partitions of the bucket's topic in the feed's share; may be empty. */
        final List<TopicPartition> partitions = new ArrayList<>();
        final ArrayBlockingQueue<FedBatch> ready;
        final ArrayDeque<ConsumerRecord<String, byte[]>> pending = new ArrayDeque<>();
        final int startEpoch;
        /** The pass the lane is reading: {@code startEpoch} plus the times it has started over. */
        volatile int epoch;
        /** Batches decoded in the current pass. */
        int batchesThisPass;
        /** Whether the current pass began at the partitions' beginnings (every pass but a first one from a checkpoint). */
        boolean passFromBeginning = true;
        volatile long caughtUpSince = -1;
        volatile int pendingCount;
        boolean paused;
        long endsCheckedAt;
        Map<TopicPartition, Long> ends = Map.of();

        Lane(String bucket, int prefetch, int epoch) {
            this.bucket = bucket;
            this.ready = new ArrayBlockingQueue<>(prefetch);
            this.epoch = epoch;
            this.startEpoch = epoch;
        }
    }

    /**
     * @param kafka    client properties
     * @param topics   bucket → batch topic
     * @param start    where to start (offsets and epochs from a checkpoint)
     * @param prefetch decoded batches kept ready per bucket
     * @param repeat   whether a dry bucket starts over (its next epoch)
     * @param dryWait  how long a bucket read to its end sees nothing new before it counts as dry
     */
    public BatchFeed(Map<String, Object> kafka, Map<String, String> topics, FeedStart start, int prefetch, boolean repeat,
                     Duration dryWait) {
        this(kafka, topics, start, prefetch, repeat, dryWait, PartitionShare.ALL);
    }

    /**
     * A feed that reads only {@code share} of each topic's partitions; offsets in {@code start} of partitions
     * outside the share are ignored.
     *
     * @param share which partitions of each topic to read ({@link PartitionShare#ALL} for every one)
     */
    public BatchFeed(Map<String, Object> kafka, Map<String, String> topics, FeedStart start, int prefetch, boolean repeat,
                     Duration dryWait, PartitionShare share) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("millrace.trainer.prefetch must be >= 1 (got " + prefetch + ")");
        }
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, prefetch);
        // A paused bucket resumes with the next fetch; the broker holds a fetch of empty partitions up to this
        // long, so the default 500 ms would show as data wait whenever a step is quicker than that.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-batch-feed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        ArrowMemoryMetrics.track(ARROW_NAME, allocator);
        this.repeat = repeat;
        this.dryWaitNanos = dryWait.toNanos();
        try {
            List<TopicPartition> all = new ArrayList<>();
            topics.forEach((bucket, topic) -> {
                Lane lane = new Lane(bucket, prefetch, start.epochs().getOrDefault(bucket, 0));
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("batch topic " + topic + " of bucket " + bucket + " does not exist");
                }
                infos.stream().filter(i -> share.includes(i.partition()))
                        .forEach(i -> lane.partitions.add(new TopicPartition(i.topic(), i.partition())));
                if (lane.partitions.isEmpty()) {
                    LOG.warn("batch topic {} of bucket {} has {} partitions, none of them in {}: the bucket is dry for "
                            + "this feed", topic, bucket, infos.size(), share);
                }
                all.addAll(lane.partitions);
                lanes.put(bucket, lane);
                laneOfTopic.put(topic, lane);
            });
            consumer.assign(all);
            this.assigned = !all.isEmpty();
            Map<TopicPartition, Long> beginnings = all.isEmpty() ? Map.of() : consumer.beginningOffsets(all);
            for (TopicPartition tp : all) {
                long from = start.offsets().getOrDefault(tp, 0L);
                long first = beginnings.getOrDefault(tp, 0L);
                if (from < first) {
                    LOG.warn("batches {}-{} before offset {} are gone (retention); the checkpoint wanted {}", tp.topic(),
                            tp.partition(), first, from);
                }
                consumer.seek(tp, Math.max(from, first));
                if (from > first) {
                    laneOfTopic.get(tp.topic()).passFromBeginning = false;
                }
            }
        } catch (RuntimeException e) {
            consumer.close();
            ArrowMemoryMetrics.untrack(ARROW_NAME);
            allocator.close();
            throw e;
        }
        this.thread = new Thread(this::run, "millrace-batch-feed");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (Lane lane : lanes.values()) {
                    fill(lane);
                    boolean full = !lane.pending.isEmpty() || lane.ready.remainingCapacity() == 0;
                    if (full != lane.paused) {
                        if (full) {
                            consumer.pause(lane.partitions);
                        } else {
                            consumer.resume(lane.partitions);
                        }
                        lane.paused = full;
                    }
                }
                if (assigned) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                        laneOfTopic.get(r.topic()).pending.add(r);
                    }
                } else {
                    // No partition of any topic is in the share: poll would throw, and there is nothing to wait
                    // for but close(); pause as long as a poll would, so the loop does not spin.
                    Thread.sleep(POLL.toMillis());
                }
                long now = System.nanoTime();
                for (Lane lane : lanes.values()) {
                    fill(lane);
                    watchForDry(lane, now);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure.set(t);
            LOG.error("batch feed failed", t);
        }
    }

    /** Decodes pending records into the lane's queue while it has room. */
    private void fill(Lane lane) throws InterruptedException {
        while (!lane.pending.isEmpty() && lane.ready.remainingCapacity() > 0) {
            ConsumerRecord<String, byte[]> r = lane.pending.poll();
            TokenBatchCodec.Decoded decoded;
            try {
                decoded = TokenBatchCodec.decode(r.value(), allocator);
            } catch (InvalidRecordException e) {
                skipped++;
                LOG.warn("skipping batch at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            // A pass begins only with nothing pending (watchForDry), so a record polled in a pass is decoded in it.
            lane.ready.put(new FedBatch(lane.bucket, new TopicPartition(r.topic(), r.partition()), r.offset(), lane.epoch,
                    decoded, decoded::close));
            lane.batchesThisPass++;
        }
        lane.pendingCount = lane.pending.size();
    }

    /** Notes when a lane is read to its end; with repeat, starts a dry lane over. */
    private void watchForDry(Lane lane, long now) {
        if (lane.paused || !lane.pending.isEmpty() || !atEnd(lane, now)) {
            lane.caughtUpSince = -1;
            return;
        }
        if (lane.caughtUpSince < 0) {
            lane.caughtUpSince = now;
        }
        if (!repeat) {
            return;
        }
        // The first time a bucket runs out, new batches may still be on their way: wait the dry wait for them,
        // with the queue empty. Once the bucket has been started over, its next pass is prefetched at once.
        boolean startedOverBefore = lane.epoch > lane.startEpoch;
        boolean dry = lane.ready.isEmpty() && now - lane.caughtUpSince >= dryWaitNanos;
        if ((startedOverBefore || dry) && passHasBatches(lane)) {
            if (readToEndNow(lane, now)) {
                startOver(lane);
            } else {
                lane.caughtUpSince = -1;
            }
        }
    }

    /**
     * Whether the pass that has reached the end has anything to read again. A pass that began at the beginnings
     * and decoded no batch (the topic is empty, or holds only aborted records, transaction markers or records
     * that are not batches) is no pass: starting over would read nothing again, only count epochs of nothing.
     * A first pass that began from a checkpoint may have read nothing new, and still ends an epoch whose batches
     * were read before the restart, if the topic still holds any.
     */
    private boolean passHasBatches(Lane lane) {
        if (lane.batchesThisPass > 0) {
            return true;
        }
        return !lane.passFromBeginning && hasBatches(lane);
    }

    /**
     * Whether the lane is read to end offsets asked of the broker now. {@link #atEnd} compares with end offsets up
     * to 200 ms old, which may predate batches just published: a pass ended on those would end before them.
     */
    private boolean readToEndNow(Lane lane, long now) {
        lane.ends = consumer.endOffsets(lane.partitions);
        lane.endsCheckedAt = now;
        return atEnd(lane, now);
    }

    private void startOver(Lane lane) {
        lane.epoch++;
        lane.batchesThisPass = 0;
        lane.passFromBeginning = true;
        LOG.info("bucket {} read to its end; starting its epoch {}", lane.bucket, lane.epoch);
        consumer.seekToBeginning(lane.partitions);
        lane.caughtUpSince = -1;
    }

    /**
     * Whether every record of the lane's partitions has been returned by poll, against end offsets asked of
     * the broker (the last stable offset under read_committed) at most every 200 ms per lane. Not the lag of
     * the last fetch: before a partition's first fetch it may read 0 and call an unread lane dry.
     */
    private boolean atEnd(Lane lane, long now) {
        if (lane.partitions.isEmpty()) {
            return true;
        }
        if (now - lane.endsCheckedAt > 200_000_000L) {
            lane.ends = consumer.endOffsets(lane.partitions);
            lane.endsCheckedAt = now;
        }
        for (TopicPartition tp : lane.partitions) {
            if (consumer.position(tp) < lane.ends.getOrDefault(tp, Long.MAX_VALUE)) {
                return false;
            }
        }
        return true;
    }

    /** Whether any partition of the lane holds records (log start below the last stable offset). */
    private boolean hasBatches(Lane lane) {
        if (lane.partitions.isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(lane.partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(lane.partitions);
        return lane.partitions.stream().anyMatch(tp -> end.getOrDefault(tp, 0L) > begin.getOrDefault(tp, 0L));
    }

    @Override
    public FedBatch next(String bucket, Duration timeout) throws InterruptedException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("batch feed failed: " + t.getMessage(), t);
        }
        return lane(bucket).ready.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isDry(String bucket) {
        Lane lane = lane(bucket);
        long since = lane.caughtUpSince;
        return lane.ready.isEmpty() && lane.pendingCount == 0 && since >= 0 && System.nanoTime() - since >= dryWaitNanos;
    }

    private Lane lane(String bucket) {
        Lane lane = lanes.get(bucket);
        if (lane == null) {
            throw new IllegalArgumentException("the feed reads no bucket '" + bucket + "' (it reads " + lanes.keySet() + ")");
        }
        return lane;
    }

    /** Batches decoded and waiting in {@code bucket}'s queue. */
    public int buffered(String bucket) {
        return lane(bucket).ready.size();
    }

    /** Records that were not token batches and were skipped. */
    public long skipped() {
        return skipped;
    }

    /** Arrow memory held by batches decoded and not yet closed. */
    public long allocatedBytes() {
        return allocator.getAllocatedMemory();
    }

    @Override
    public void close() {
        running = false;
        KafkaClients.stopPolling(thread, consumer);
        ArrowMemoryMetrics.untrack(ARROW_NAME);
        for (Lane lane : lanes.values()) {
            FedBatch b;
            while ((b = lane.ready.poll()) != null) {
                b.close();
            }
        }
        if (allocator.getAllocatedMemory() != 0) {
            LOG.warn("batch feed closed with {} bytes of Arrow memory still held by batches handed out and not closed",
                    allocator.getAllocatedMemory());
        } else {
            allocator.close();
        }
    }
}
