package org.millrace.it.monitoring;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.millrace.common.MetricNames;

/** The Millrace metrics a registry holds, as the exposition names them. */
public final class RegistryNames {
    private static final Pattern REFERENCE = Pattern.compile("millrace_[a-z0-9_]*[a-z0-9]");

    /** One registered metric: its name as exposed (counters with _total), type, help and label names. */
    public record Registered(String name, MetricNames.Type type, String help, Set<String> labels) {
    }

    private RegistryNames() {
    }

    /** Every registered millrace_* metric, whether or not it has a sample yet. */
    public static List<Registered> millrace(PrometheusRegistry registry) {
        List<Registered> out = new ArrayList<>();
        for (MetricSnapshot s : registry.scrape()) {
            String base = s.getMetadata().getPrometheusName();
            if (!base.startsWith(MetricNames.PREFIX)) {
                continue;
            }
            MetricNames.Type type = type(s);
            Set<String> labels = new TreeSet<>();
            s.getDataPoints().forEach(p -> p.getLabels().forEach(l -> labels.add(l.getName())));
            out.add(new Registered(type == MetricNames.Type.COUNTER ? base + "_total" : base, type, s.getMetadata().getHelp(), labels));
        }
        return out;
    }

    /** The names a PromQL expression or a sample line may use for a registered metric. */
    public static Set<String> exposedNames(List<Registered> registered) {
        Set<String> out = new TreeSet<>();
        for (Registered r : registered) {
            out.add(r.name());
            if (r.type() == MetricNames.Type.HISTOGRAM) {
                out.addAll(List.of(r.name() + "_bucket", r.name() + "_count", r.name() + "_sum"));
            } else if (r.type() == MetricNames.Type.SUMMARY) {
                out.addAll(List.of(r.name() + "_count", r.name() + "_sum"));
            }
        }
        return out;
    }

    /** Every millrace_* name a text (PromQL, YAML, JSON, Markdown) mentions. */
    public static Set<String> referencedIn(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The area (second word) of a Millrace metric name. */
    public static String area(String name) {
        String rest = name.substring(MetricNames.PREFIX.length());
        int end = rest.indexOf('_');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static MetricNames.Type type(MetricSnapshot s) {
        if (s instanceof CounterSnapshot) {
            return MetricNames.Type.COUNTER;
        } else if (s instanceof GaugeSnapshot) {
            return MetricNames.Type.GAUGE;
        } else if (s instanceof HistogramSnapshot) {
            return MetricNames.Type.HISTOGRAM;
        } else if (s instanceof SummarySnapshot) {
            return MetricNames.Type.SUMMARY;
        } else if (s instanceof InfoSnapshot) {
            return MetricNames.Type.INFO;
        } else if (s instanceof StateSetSnapshot) {
            return MetricNames.Type.STATESET;
        }
        return MetricNames.Type.UNKNOWN;
    }
}
