package org.millrace.ops.dashboard;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns scrapes of the registry into {@link Tick}s: the dashboard shows what {@code /metrics} shows.
 * Rates and the mixture are taken over the last {@code window} samples.
 */
final class TickSampler {
    /** Raw counter sums of one sample, kept for rates. */
    private record Counters(long time, Double documentsIn, Double curated, Double batches, Double trainTokens,
                            Map<String, Double> tokensByBucket) {
    }

    private final PrometheusRegistry registry;
    private final Supplier<Tick.Cluster> cluster;
    private final int window;
    private final Deque<Counters> recent = new ArrayDeque<>();

    TickSampler(PrometheusRegistry registry, Supplier<Tick.Cluster> cluster, int window) {
        this.registry = registry;
        this.cluster = cluster;
        this.window = Math.max(2, window);
    }

    Tick sample(long now) {
        RegistryView v = new RegistryView(registry.scrape(n -> n.startsWith("millrace_") || n.startsWith("jvm_memory_used")));
        Counters c = new Counters(now, v.sum("millrace_curation_documents_in"), v.sum("millrace_curation_curated_documents"),
                v.sum("millrace_curation_batches"), v.sum("millrace_train_tokens"), v.sumBy("millrace_train_tokens", "bucket"));
        recent.addLast(c);
        while (recent.size() > window) {
            recent.removeFirst();
        }
        Counters first = recent.getFirst();
        double seconds = (now - first.time()) / 1000.0;
        Tick.Throughput throughput = new Tick.Throughput(rate(first.documentsIn(), c.documentsIn(), seconds),
                rate(first.curated(), c.curated(), seconds), rate(first.batches(), c.batches(), seconds),
                rate(first.trainTokens(), c.trainTokens(), seconds));
        return new Tick(now, funnel(v), throughput, lag(v), train(v), mixture(first, c), eval(v), memory(v), cluster.get());
    }

    private static Double rate(Double before, Double after, double seconds) {
        if (before == null || after == null || seconds <= 0) {
            return after == null ? null : 0.0;
        }
        return Math.max(0, after - before) / seconds;
    }

    private static Map<String, Tick.Funnel> funnel(RegistryView v) {
        Map<String, long[]> counts = new TreeMap<>();
        for (RegistryView.Point p : v.points("millrace_curation_filter_documents")) {
            long[] k = counts.computeIfAbsent(p.label("filter"), f -> new long[3]);
            int i = switch (p.label("outcome")) {
                case "kept" -> 0;
                case "dropped" -> 1;
                default -> 2;
            };
            k[i] += (long) p.value();
        }
        Map<String, Tick.Funnel> out = new TreeMap<>();
        counts.forEach((f, k) -> out.put(f, new Tick.Funnel(k[0], k[1], k[2])));
        return out;
    }

    private static Map<String, Long> lag(RegistryView v) {
        Map<String, Long> out = new TreeMap<>();
        v.points("millrace_kafka_consumer_lag_records").forEach(p -> out.put(p.label("group") + " · " + p.label("topic"), (long) p.value()));
        return out;
    }

    private static Tick.Train train(RegistryView v) {
        String run = v.points("millrace_train_steps").stream().max(Comparator.comparingDouble(RegistryView.Point::value))
                .map(p -> p.label("run")).orElse(null);
        if (run == null) {
            return null;
        }
        Double lineageStep = v.sumWhere("millrace_train_lineage_step", "run", run);
        Double lineageTokens = v.sumWhere("millrace_train_lineage_tokens", "run", run);
        Double processSteps = v.sumWhere("millrace_train_steps", "run", run);
        Double processTokens = v.sumWhere("millrace_train_tokens", "run", run);
        long step = (lineageStep != null ? lineageStep : processSteps).longValue();
        long tokens = lineageTokens != null ? lineageTokens.longValue() : processTokens == null ? 0 : processTokens.longValue();
        return new Tick.Train(run, step, tokens, finite(v.sumWhere("millrace_train_loss", "run", run)),
                finite(v.sumWhere("millrace_train_learning_rate", "run", run)), finite(v.sumWhere("millrace_train_grad_norm", "run", run)),
                finite(v.sumWhere("millrace_train_tokens_per_second", "run", run)));
    }

    private static Map<String, Double> mixture(Counters first, Counters last) {
        Map<String, Double> delta = new TreeMap<>();
        last.tokensByBucket().forEach((bucket, n) -> delta.put(bucket, Math.max(0, n - first.tokensByBucket().getOrDefault(bucket, 0.0))));
        double total = delta.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total <= 0) {
            return Map.of();
        }
        Map<String, Double> out = new TreeMap<>();
        delta.forEach((bucket, n) -> out.put(bucket, n / total));
        return out;
    }

    private static Tick.Eval eval(RegistryView v) {
        RegistryView.Point last = v.points("millrace_eval_checkpoint_tokens").stream()
                .max(Comparator.comparingDouble(RegistryView.Point::value)).orElse(null);
        if (last == null) {
            return null;
        }
        String run = last.label("run");
        Map<String, Double> values = new TreeMap<>();
        v.points("millrace_eval_value").stream().filter(p -> p.label("run").equals(run))
                .forEach(p -> values.put(p.label("task") + "/" + p.label("metric"), finite(p.value())));
        Double step = v.sumWhere("millrace_eval_checkpoint_step", "run", run);
        return new Tick.Eval(run, step == null ? 0 : step.longValue(), (long) last.value(), values);
    }

    private static Tick.Memory memory(RegistryView v) {
        Double heap = v.sumWhere("jvm_memory_used_bytes", "area", "heap");
        Double nat = v.sum("millrace_memory_native_bytes");
        Double arrow = v.sum("millrace_memory_arrow_allocated_bytes");
        return new Tick.Memory(heap == null ? null : heap.longValue(), nat == null ? null : nat.longValue(),
                arrow == null ? null : arrow.longValue());
    }

    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }
}
