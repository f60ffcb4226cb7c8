package org.millrace.training.optim;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * Everything under {@code millrace.optim}: the schedule, AdamW, clipping and micro-batching.
 *
 * @param schedule the learning-rate curve
 * @param adamW the AdamW hyper-parameters
 * @param gradClip largest global gradient norm, {@code millrace.optim.grad-clip}; 0 disables
 * @param microBatchSize sequences per forward/backward pass, {@code millrace.optim.micro-batch-size};
 *     a step splits its batch into micro-batches of this many rows and accumulates their
 *     gradients; 0 processes the whole batch at once
 */
public record OptimizerSettings(LearningRateSchedule schedule, AdamWSettings adamW, double gradClip,
        int microBatchSize) {

    public OptimizerSettings {
        if (!(gradClip >= 0) || Double.isInfinite(gradClip)) {
            throw new IllegalArgumentException(
                    "millrace.optim.grad-clip must be finite and not negative (got " + gradClip + ")");
        }
        if (microBatchSize < 0) {
            throw new IllegalArgumentException(
                    "millrace.optim.micro-batch-size must not be negative (got " + microBatchSize + ")");
        }
    }

    /** nanoGPT-like defaults around a constant learning rate: for tests and experiments. */
    public static OptimizerSettings constant(double learningRate) {
        return new OptimizerSettings(LearningRateSchedule.constant(learningRate), AdamWSettings.gpt(), 1.0, 0);
    }

    /**
     * Reads {@code millrace.optim} from a full configuration.
     *
     * @param config the root configuration (holding {@code millrace.optim})
     */
    public static OptimizerSettings fromConfig(Config config) {
        try {
            Config o = config.getConfig("millrace.optim");
            LearningRateSchedule schedule = new LearningRateSchedule(
                    o.getDouble("learning-rate"), o.getDouble("min-learning-rate"),
                    o.getLong("warmup-steps"), o.getLong("decay-end-step"));
            AdamWSettings adamW = new AdamWSettings(o.getDouble("beta1"), o.getDouble("beta2"),
                    o.getDouble("epsilon"), o.getDouble("weight-decay"));
            return new OptimizerSettings(schedule, adamW, o.getDouble("grad-clip"), o.getInt("micro-batch-size"));
        } catch (ConfigException.WrongType | ConfigException.Missing e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
