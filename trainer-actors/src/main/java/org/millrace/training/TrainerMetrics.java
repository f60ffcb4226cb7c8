package org.millrace.training;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The trainer's metrics, registered once per JVM in the default registry. */
public final class TrainerMetrics {
    public static final TrainerMetrics INSTANCE = new TrainerMetrics(PrometheusRegistry.defaultRegistry);

    final Counter steps;
    final Counter tokens;
    final Gauge loss;
    final Gauge learningRate;
    final Gauge gradNorm;
    final Gauge tokensPerSecond;
    final Histogram stepSeconds;
    final Counter dataWaitSeconds;
    final Counter checkpoints;

    /** Makes the run's series exist (at zero) before its first step, so that scrapes and dashboards see them. */
    public void initRun(String run) {
        steps.labelValues(run);
        dataWaitSeconds.labelValues(run);
        checkpoints.labelValues(run);
    }

    private TrainerMetrics(PrometheusRegistry r) {
        steps = Counter.builder().name("millrace_train_steps_total").help("Optimizer steps taken").labelNames("run").register(r);
        tokens = Counter.builder().name("millrace_train_tokens_total").help("Training tokens consumed, per bucket")
                .labelNames("run", "bucket").register(r);
        loss = Gauge.builder().name("millrace_train_loss").help("Training loss of the last step (nats per token)")
                .labelNames("run").register(r);
        learningRate = Gauge.builder().name("millrace_train_learning_rate").help("Learning rate of the last step")
                .labelNames("run").register(r);
        gradNorm = Gauge.builder().name("millrace_train_grad_norm").help("Global gradient norm before clipping")
                .labelNames("run").register(r);
        tokensPerSecond = Gauge.builder().name("millrace_train_tokens_per_second").help("Training throughput over the last steps")
                .labelNames("run").register(r);
        stepSeconds = Histogram.builder().name("millrace_train_step_seconds").help("Time of one optimizer step")
                .labelNames("run").register(r);
        dataWaitSeconds = Counter.builder().name("millrace_train_data_wait_seconds_total")
                .help("Time the trainer waited for batches").labelNames("run").register(r);
        checkpoints = Counter.builder().name("millrace_train_checkpoints_total").help("Checkpoints written")
                .labelNames("run").register(r);
    }
}
