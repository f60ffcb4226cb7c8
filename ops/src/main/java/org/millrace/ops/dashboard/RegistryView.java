package org.millrace.ops.dashboard;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counter and gauge values of one scrape, looked up by name (counters without {@code _total}). */
final class RegistryView {
    /** One data point: its labels and value. */
    record Point(Labels labels, double value) {
        String label(String name) {
            String v = labels.get(name);
            return v == null ? "" : v;
        }
    }

    private final Map<String, List<Point>> points = new HashMap<>();

    RegistryView(MetricSnapshots snapshots) {
        for (MetricSnapshot s : snapshots) {
            List<Point> list = new ArrayList<>();
            for (DataPointSnapshot p : s.getDataPoints()) {
                if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
                    list.add(new Point(c.getLabels(), c.getValue()));
                } else if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
                    list.add(new Point(g.getLabels(), g.getValue()));
                }
            }
            points.put(s.getMetadata().getPrometheusName(), list);
        }
    }

    /** The points of a metric (a counter named without {@code _total}); empty when it is not registered. */
    List<Point> points(String name) {
        return points.getOrDefault(name.endsWith("_total") ? name.substring(0, name.length() - 6) : name, List.of());
    }

    boolean has(String name) {
        return !points(name).isEmpty();
    }

    /** Sum over every point of a metric, or null when it has none. */
    Double sum(String name) {
        List<Point> p = points(name);
        return p.isEmpty() ? null : p.stream().mapToDouble(Point::value).sum();
    }

    /** Sum of the points whose {@code label} is {@code value}, or null when none. */
    Double sumWhere(String name, String label, String value) {
        List<Point> p = points(name).stream().filter(x -> x.label(label).equals(value)).toList();
        return p.isEmpty() ? null : p.stream().mapToDouble(Point::value).sum();
    }

    /** Sums per value of {@code label}. */
    Map<String, Double> sumBy(String name, String label) {
        Map<String, Double> out = new HashMap<>();
        points(name).forEach(p -> out.merge(p.label(label), p.value(), Double::sum));
        return out;
    }
}
