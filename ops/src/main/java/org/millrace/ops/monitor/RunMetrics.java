package org.millrace.ops.monitor;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.millrace.common.EvalResult;

/**
 * Metrics a run sets where it observes its actors: the latest evaluation value per task and metric,
 * and where the run's checkpoint lineage stands (steps and tokens counted across resumes, which the
 * per-process counters of the trainer do not). Registered once per JVM in the default registry.
 */
public final class RunMetrics {
    public static final RunMetrics INSTANCE = new RunMetrics(PrometheusRegistry.defaultRegistry);

    private final Gauge evalValue;
    private final Gauge evalCheckpointStep;
    private final Gauge evalCheckpointTokens;
    private final Gauge lineageStep;
    private final Gauge lineageTokens;

    private RunMetrics(PrometheusRegistry r) {
        evalValue = Gauge.builder().name("millrace_eval_value")
                .help("Latest evaluation result per task and metric (e.g. loss in nats per token, bits_per_byte)")
                .labelNames("run", "task", "metric").register(r);
        evalCheckpointStep = Gauge.builder().name("millrace_eval_checkpoint_step")
                .help("Training step of the checkpoint last evaluated").labelNames("run").register(r);
        evalCheckpointTokens = Gauge.builder().name("millrace_eval_checkpoint_tokens")
                .help("Training tokens seen by the checkpoint last evaluated").labelNames("run").register(r);
        lineageStep = Gauge.builder().name("millrace_train_lineage_step")
                .help("Optimizer steps of the run's checkpoint lineage, counting steps before a resume").labelNames("run").register(r);
        lineageTokens = Gauge.builder().name("millrace_train_lineage_tokens")
                .help("Training tokens of the run's checkpoint lineage, counting tokens before a resume").labelNames("run").register(r);
    }

    /** The results of one evaluated checkpoint: values first, then the checkpoint they belong to. */
    public void evaluated(List<EvalResult> results) {
        for (EvalResult r : results) {
            evalValue.labelValues(r.run(), r.task(), r.metric()).set(r.value());
        }
        for (EvalResult r : results) {
            evalCheckpointStep.labelValues(r.run()).set(r.step());
            evalCheckpointTokens.labelValues(r.run()).set(r.tokens());
        }
    }

    /** A training step of {@code run} was taken. */
    public void stepped(String run, long step, long tokens) {
        lineageStep.labelValues(run).set(step);
        lineageTokens.labelValues(run).set(tokens);
    }
}
