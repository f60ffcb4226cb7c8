package org.millrace.training.curriculum;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.EvalResult;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's view of Kafka, on a thread of its own: first the step of the last mixture already
 * published for the run on the curriculum topic (so that a restarted controller, which replays every
 * result from the beginning to rebuild the same bandit state, does not publish those mixtures again),
 * then every evaluation result of the run, from the beginning, as it arrives. No consumer group: where
 * to read from is always the beginning.
 */
final class EvalResultsTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvalResultsTail.class);

    private final Map<String, Object> props;
    private final String resultsTopic;
    private final String curriculumTopic;
    private final String run;
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;

    /**
     * @param resumed called once, first: the largest from-step published for the run so far (-1: none)
     * @param results called with the run's results of each poll, in topic order
     * @param failed  called if reading stops on an error
     */
    EvalResultsTail(Map<String, Object> kafka, String resultsTopic, String curriculumTopic, String run, Consumer<Long> resumed,
                    Consumer<List<EvalResult>> results, Consumer<String> failed) {
        this.props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-curriculum-controller-" + run);
        this.resultsTopic = resultsTopic;
        this.curriculumTopic = curriculumTopic;
        this.run = run;
        this.thread = new Thread(() -> read(resumed, results, failed), "millrace-curriculum-controller");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void read(Consumer<Long> resumed, Consumer<List<EvalResult>> results, Consumer<String> failed) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            if (!running) {
                return;
            }
            resumed.accept(lastPublished(c));
            assignFromBeginning(c, resultsTopic);
            while (running) {
                List<EvalResult> batch = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (!run.equals(r.key())) {
                        continue;
                    }
                    try {
                        EvalResult result = Json.read(r.value(), EvalResult.class);
                        if (run.equals(result.run())) {
                            batch.add(result);
                        }
                    } catch (InvalidRecordException e) {
                        LOG.warn("ignoring evaluation record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
                if (!batch.isEmpty()) {
                    results.accept(batch);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the curriculum controller stopped reading evaluation results", e);
            failed.accept(e.toString());
        }
    }

    /** The largest from-step of the run's mixtures on the curriculum topic, read to its current end. */
    private long lastPublished(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = assignFromBeginning(c, curriculumTopic);
        Map<TopicPartition, Long> ends = c.endOffsets(partitions);
        long last = -1;
        while (running && ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (run.equals(r.key())) {
                    try {
                        last = Math.max(last, Json.read(r.value(), CurriculumUpdate.class).fromStep());
                    } catch (InvalidRecordException e) {
                        // not ours to judge: the trainer logs and ignores it too
                    }
                }
            }
        }
        return last;
    }

    private static List<TopicPartition> assignFromBeginning(KafkaConsumer<String, byte[]> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return partitions;
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
