package org.millrace.ops.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.millrace.common.EvalResult;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.Json;
import org.millrace.common.Topics;
import org.millrace.common.TrainEvent;
import org.millrace.ops.monitor.ConsumerLag;

/** Gathers a {@link StatusReport} from Kafka: topic offsets and lag, train events, evaluation results. */
public final class StatusProbe {
    private static final int TAIL = 200;

    private final Map<String, Object> kafka;
    private final String bootstrapServers;
    private final Topics topics;
    private final Duration timeout;

    public StatusProbe(Map<String, Object> kafka, String bootstrapServers, Topics topics, Duration timeout) {
        this.kafka = kafka;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.timeout = timeout;
    }

    public StatusReport probe() {
        try (Admin admin = Admin.create(kafka)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> brokers = get(admin.describeCluster().nodes(), deadline).stream()
                    .map(n -> n.host() + ":" + n.port()).sorted().toList();
            Set<String> existing = get(admin.listTopics().names(), deadline);
            List<String> ours = topics.all().stream().filter(existing::contains).toList();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            get(admin.describeTopics(ours).allTopicNames(), deadline).forEach((name, d) -> {
                for (TopicPartitionInfo p : d.partitions()) {
                    earliest.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
                    latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                }
            });
            var options = new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED);
            var starts = get(admin.listOffsets(earliest, options).all(), deadline);
            var ends = get(admin.listOffsets(latest, options).all(), deadline);
            Map<String, Long> size = new HashMap<>();
            ends.forEach((tp, info) -> size.merge(tp.topic(), info.offset() - starts.get(tp).offset(), Long::sum));
            List<ConsumerLag> lags = ConsumerLag.measure(admin, g -> true, Set.copyOf(ours)::contains,
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            List<StatusReport.TopicRow> rows = new ArrayList<>();
            for (String topic : topics.all()) {
                List<StatusReport.GroupLag> groupLags = lags.stream().filter(l -> l.topic().equals(topic))
                        .map(l -> new StatusReport.GroupLag(l.group(), l.lag())).toList();
                rows.add(new StatusReport.TopicRow(topic, existing.contains(topic), size.getOrDefault(topic, 0L), groupLags));
            }
            return new StatusReport(bootstrapServers, brokers, "single node (cluster roles are not configured)", rows,
                    existing.contains(topics.trainEvents()) ? trainers() : List.of(),
                    existing.contains(topics.evalResults()) ? evals() : List.of(), System.currentTimeMillis());
        }
    }

    private List<StatusReport.TrainerRow> trainers() {
        Map<String, List<TrainEvent>> byRun = new LinkedHashMap<>();
        for (var r : TopicTail.last(kafka, topics.trainEvents(), TAIL, timeout)) {
            try {
                TrainEvent e = Json.read(r.value(), TrainEvent.class);
                byRun.computeIfAbsent(e.run(), k -> new ArrayList<>()).add(e);
            } catch (InvalidRecordException skipped) {
                // not ours to judge here: status shows what it can read
            }
        }
        List<StatusReport.TrainerRow> out = new ArrayList<>();
        byRun.forEach((run, events) -> {
            events.sort(Comparator.comparingLong(TrainEvent::time).thenComparingLong(TrainEvent::step));
            TrainEvent last = events.get(events.size() - 1);
            Double tps = null;
            for (int i = events.size() - 2; i >= 0; i--) {
                TrainEvent before = events.get(i);
                if (before.time() < last.time() && before.tokens() < last.tokens()) {
                    tps = (last.tokens() - before.tokens()) * 1000.0 / (last.time() - before.time());
                    break;
                }
            }
            out.add(new StatusReport.TrainerRow(run, last.step(), last.loss(), last.tokens(), tps, last.time()));
        });
        out.sort(Comparator.comparingLong(StatusReport.TrainerRow::lastEventTime).reversed());
        return out;
    }

    private List<StatusReport.EvalRow> evals() {
        Map<String, StatusReport.EvalRow> latest = new TreeMap<>();
        for (var r : TopicTail.last(kafka, topics.evalResults(), TAIL, timeout)) {
            try {
                EvalResult e = Json.read(r.value(), EvalResult.class);
                String key = e.run() + "\u0000" + e.task() + "\u0000" + e.metric();
                StatusReport.EvalRow row = new StatusReport.EvalRow(e.run(), e.task(), e.metric(), e.value(), e.step(), e.tokens(), e.time());
                latest.merge(key, row, (a, b) -> b.step() > a.step() || (b.step() == a.step() && b.time() >= a.time()) ? b : a);
            } catch (InvalidRecordException skipped) {
                // as above
            }
        }
        return List.copyOf(latest.values());
    }

    private static <T> T get(KafkaFuture<T> future, long deadline) {
        try {
            return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not answer: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer in time", e);
        }
    }
}
