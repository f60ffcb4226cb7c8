package org.millrace.training.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.TokenBatchCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads token batches from the batch topics on its own thread into a bounded prefetch queue.
 *
 * <p>The feed has no consumer group: where to read from is the trainer's state (the offsets in its
 * checkpoint), so it assigns partitions itself and seeks. When every partition is read to its end and
 * nothing new arrives for {@code dryWait}, the feed either waits or starts the next epoch from the
 * beginning ({@link DryPolicy}).
 */
public final class BatchFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchFeed.class);

    /** What to do when all batch partitions are consumed. */
    public enum DryPolicy { WAIT, REPEAT }

    private final KafkaConsumer<String, byte[]> consumer;
    private final BlockingQueue<FedBatch> queue;
    private final BufferAllocator allocator = new RootAllocator();
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final DryPolicy dryPolicy;
    private final Duration dryWait;
    private volatile boolean running = true;
    private volatile int epoch;
    private volatile long skipped;

    /**
     * @param start where to start per partition (from a checkpoint); partitions not named start at the beginning
     */
    public BatchFeed(Map<String, Object> kafka, List<String> topics, Map<TopicPartition, Long> start, int startEpoch,
                     int prefetch, DryPolicy dryPolicy, Duration dryWait) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, prefetch));
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-batch-feed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.queue = new ArrayBlockingQueue<>(Math.max(1, prefetch));
        this.dryPolicy = dryPolicy;
        this.dryWait = dryWait;
        this.epoch = startEpoch;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("batch topic " + topic + " does not exist");
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        start.forEach((tp, offset) -> {
            if (partitions.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
        this.thread = new Thread(this::run, "millrace-batch-feed");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long lastData = System.nanoTime();
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    lastData = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    TokenBatchCodec.Decoded decoded;
                    try {
                        decoded = TokenBatchCodec.decode(r.value(), allocator);
                    } catch (InvalidRecordException e) {
                        skipped++;
                        LOG.warn("skipping batch at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                        continue;
                    }
                    FedBatch fed = new FedBatch(new TopicPartition(r.topic(), r.partition()), r.offset(), epoch, decoded);
                    while (running && !queue.offer(fed, 100, TimeUnit.MILLISECONDS)) {
                        // the trainer is slower than the feed: this is the backpressure
                    }
                    if (!running) {
                        fed.close();
                    }
                }
                if (records.isEmpty() && dryPolicy == DryPolicy.REPEAT
                        && System.nanoTime() - lastData > dryWait.toNanos() && caughtUp()) {
                    epoch++;
                    LOG.info("batch topics consumed; starting epoch {}", epoch);
                    consumer.seekToBeginning(consumer.assignment());
                    lastData = System.nanoTime();
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

    private boolean caughtUp() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        boolean anyData = false;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
            anyData |= e.getValue() > 0;
        }
        return anyData;
    }

    /** The next batch, or null if none arrives within {@code timeout}. */
    public FedBatch next(Duration timeout) throws InterruptedException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("batch feed failed: " + t.getMessage(), t);
        }
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Batches decoded but not yet taken by the trainer. */
    public int buffered() {
        return queue.size();
    }

    /** Records that were not token batches and were skipped. */
    public long skipped() {
        return skipped;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        FedBatch b;
        while ((b = queue.poll()) != null) {
            b.close();
        }
        allocator.close();
    }
}
