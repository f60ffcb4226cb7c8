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
    final Gauge dataWaitFraction;
    final Gauge mfu;
    final Gauge matmulPeak;
    final Gauge mixtureWeight;
    final Gauge phase;
    final Counter checkpoints;

    /** Makes the run's series exist (at zero) before its first step, so that scrapes and dashboards see them. */
    public void initRun(String run) {
        steps.labelValues(run);
        dataWaitSeconds.labelValues(run);
        checkpoints.labelValues(run);
    }

    private TrainerMetrics(PrometheusRegistry r) {
        steps = Counter.builder().name("millrace_train_steps_total").help("Optimizer steps taken").labelNames("run").register(r);
        tokens = Counter.builder().name("millrace_train_tokens_total")
                .help("Training tokens consumed per bucket (real tokens; padding not counted): the mixture actually trained")
                .labelNames("run", "bucket").register(r);
        loss = Gauge.builder().name("millrace_train_loss").help("Training loss of the last step (nats per token)")
                .labelNames("run").register(r);
        learningRate = Gauge.builder().name("millrace_train_learning_rate").help("Learning rate of the last step")
                .labelNames("run").register(r);
        gradNorm = Gauge.builder().name("millrace_train_grad_norm").help("Global gradient norm before clipping")
                .labelNames("run").register(r);
        tokensPerSecond = Gauge.builder().name("millrace_train_tokens_per_second")
                .help("Training throughput over the last steps, wall clock (data waits included)").labelNames("run").register(r);
        stepSeconds = Histogram.builder().name("millrace_train_step_seconds").help("Compute time of one optimizer step")
                .labelNames("run").register(r);
        dataWaitSeconds = Counter.builder().name("millrace_train_data_wait_seconds_total")
                .help("Time the trainer waited for batches").labelNames("run").register(r);
        dataWaitFraction = Gauge.builder().name("millrace_train_data_wait_fraction")
                .help("Share of wall time spent waiting for batches since the trainer started").labelNames("run").register(r);
        mfu = Gauge.builder().name("millrace_train_mfu")
                .help("Model FLOP utilisation: 6 x parameters x tokens/s over the fp32 matmul peak").labelNames("run").register(r);
        matmulPeak = Gauge.builder().name("millrace_train_matmul_peak_gflops")
                .help("The fp32 matmul peak MFU is measured against (bench figure djl.matmul.gflops, or measured at start)")
                .labelNames("run").register(r);
        mixtureWeight = Gauge.builder().name("millrace_train_mixture_weight")
                .help("Target share of each bucket in the mixture in force").labelNames("run", "bucket").register(r);
        phase = Gauge.builder().name("millrace_train_curriculum_phase").help("Index of the curriculum phase in force")
                .labelNames("run").register(r);
        checkpoints = Counter.builder().name("millrace_train_checkpoints_total").help("Checkpoints written")
                .labelNames("run").register(r);
    }
}
