package org.millrace.processing.decontamination;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Documents found to share text with an evaluation task, per benchmark and level. */
public final class DecontaminationMetrics {
    public static final DecontaminationMetrics INSTANCE = new DecontaminationMetrics(PrometheusRegistry.defaultRegistry);

    /** Labels: {@code benchmark} (the task), {@code level} ({@code contaminated} or {@code partial}). */
    final Counter documents;

    private DecontaminationMetrics(PrometheusRegistry registry) {
        documents = Counter.builder().name("millrace_curation_contaminated_documents_total")
                .help("Documents sharing n-grams with an evaluation task, per benchmark and level (contaminated, partial)")
                .labelNames("benchmark", "level").register(registry);
    }

    /** Count of one benchmark and level so far (reports, tests). */
    public long count(String benchmark, String level) {
        return (long) documents.labelValues(benchmark, level).get();
    }
}
