package org.millrace.training.curriculum;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.millrace.common.KafkaClients;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the mixtures of one run from {@code millrace.curriculum} on its own thread. Like the batch feed it
 * has no consumer group: where to read from is part of the trainer's checkpoint, so a resumed trainer
 * sees again the updates that arrived after its checkpoint and none from before.
 */
public final class CurriculumSubscriber implements UpdateSource {
    private static final Logger LOG = LoggerFactory.getLogger(CurriculumSubscriber.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String run;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final Map<TopicPartition, Long> endsAtStart;
    private final java.util.concurrent.CountDownLatch caughtUp = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean running = true;

    /**
     * @param start next offset per partition ({@code topic:partition}) from a checkpoint; others from the beginning
     */
    public CurriculumSubscriber(Map<String, Object> kafka, String topic, String run, Map<String, Long> start) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-curriculum-" + run);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.run = run;
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("curriculum topic " + topic + " does not exist (millrace.curriculum.live-updates is on)");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        for (TopicPartition tp : partitions) {
            Long offset = start.get(key(tp));
            if (offset != null) {
                consumer.seek(tp, offset);
            }
        }
        this.endsAtStart = consumer.endOffsets(partitions);
        this.thread = new Thread(this::poll, "millrace-curriculum");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static String key(TopicPartition tp) {
        return tp.topic() + ":" + tp.partition();
    }

    private void poll() {
        try {
            while (running) {
                if (caughtUp.getCount() > 0
                        && endsAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown(); // every record published before the start has been queued
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!run.equals(r.key())) {
                        continue;
                    }
                    try {
                        CurriculumUpdate update = Json.read(r.value(), CurriculumUpdate.class);
                        received.add(new Received(update, key(new TopicPartition(r.topic(), r.partition())), r.offset() + 1));
                    } catch (InvalidRecordException e) {
                        LOG.warn("ignoring curriculum record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("curriculum subscriber stopped: live mixtures will not be applied", e);
        } finally {
            caughtUp.countDown(); // nobody waits for a subscriber that has stopped
        }
    }

    @Override
    public List<Received> drain() {
        List<Received> out = new ArrayList<>();
        Received r;
        while ((r = received.poll()) != null) {
            out.add(r);
        }
        return out;
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        running = false;
        KafkaClients.stopPolling(thread, consumer);
    }
}
