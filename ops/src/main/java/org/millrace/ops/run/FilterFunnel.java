package org.millrace.ops.run;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;
import java.util.TreeMap;

/** Per-filter kept/dropped/modified counts, read from the curation stream's counters. */
final class FilterFunnel {
    private FilterFunnel() {
    }

    static Map<String, RunSummary.Funnel> fromRegistry() {
        Map<String, long[]> counts = new TreeMap<>();
        for (MetricSnapshot s : PrometheusRegistry.defaultRegistry.scrape()) {
            if (!s.getMetadata().getName().equals("millrace_curation_filter_documents")) {
                continue;
            }
            for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) s).getDataPoints()) {
                long[] c = counts.computeIfAbsent(p.getLabels().get("filter"), f -> new long[3]);
                int i = switch (p.getLabels().get("outcome")) {
                    case "kept" -> 0;
                    case "dropped" -> 1;
                    default -> 2;
                };
                c[i] += (long) p.getValue();
            }
        }
        Map<String, RunSummary.Funnel> out = new TreeMap<>();
        counts.forEach((f, c) -> out.put(f, new RunSummary.Funnel(c[0], c[1], c[2])));
        return out;
    }
}
