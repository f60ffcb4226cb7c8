package org.millrace.processing;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The curation stream's metrics, registered once per JVM in the default registry. */
public final class CurationMetrics {
    public static final CurationMetrics INSTANCE = new CurationMetrics(PrometheusRegistry.defaultRegistry);

    /** Documents read from the document topics. */
    final Counter documentsIn;
    /** Bytes of document records read. */
    final Counter bytesIn;
    /** Verdicts per filter: outcome kept, dropped or modified, with the drop reason. */
    final Counter filterVerdicts;
    /** Documents written to the curated topic, per bucket. */
    final Counter curated;
    /** Token batches written, per bucket. */
    final Counter batches;
    /** Tokens written in batches (without padding), per bucket. */
    final Counter tokens;

    /** Counts so far in this JVM, for progress lines (replayed documents count again). */
    public record Totals(long documentsIn, long bytesIn, long curated, long dropped, long tokens) {
    }

    public Totals totals() {
        long dropped = 0;
        for (var p : filterVerdicts.collect().getDataPoints()) {
            if (p.getLabels().get("outcome").equals("dropped")) {
                dropped += (long) p.getValue();
            }
        }
        return new Totals((long) documentsIn.get(), (long) bytesIn.get(), sum(curated), dropped, sum(tokens));
    }

    private static long sum(Counter counter) {
        double total = 0;
        for (var p : counter.collect().getDataPoints()) {
            total += p.getValue();
        }
        return (long) total;
    }

    /** Makes the per-bucket series exist (at zero) before the first document, for scrapes and dashboards. */
    public void initBuckets(java.util.List<String> buckets) {
        for (String b : buckets) {
            curated.labelValues(b);
            batches.labelValues(b);
            tokens.labelValues(b);
        }
    }

    private CurationMetrics(PrometheusRegistry registry) {
        documentsIn = Counter.builder().name("millrace_curation_documents_in_total")
                .help("Documents read by the curation stream").register(registry);
        bytesIn = Counter.builder().name("millrace_curation_input_bytes_total")
                .help("Bytes of document records read by the curation stream").register(registry);
        filterVerdicts = Counter.builder().name("millrace_curation_filter_documents_total")
                .help("Documents per filter and outcome (kept, dropped, modified) and drop reason")
                .labelNames("filter", "outcome", "reason").register(registry);
        curated = Counter.builder().name("millrace_curation_curated_documents_total")
                .help("Documents that passed curation, per curriculum bucket").labelNames("bucket").register(registry);
        batches = Counter.builder().name("millrace_curation_batches_total")
                .help("Token batches written, per curriculum bucket").labelNames("bucket").register(registry);
        tokens = Counter.builder().name("millrace_curation_tokens_total")
                .help("Tokens packed into batches (padding excluded), per curriculum bucket").labelNames("bucket").register(registry);
    }
}
