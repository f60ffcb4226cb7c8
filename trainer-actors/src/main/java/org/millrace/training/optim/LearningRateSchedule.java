package org.millrace.training.optim;

/**
 * Linear warm-up to {@code maxLearningRate}, then cosine decay to {@code minLearningRate} (nanoGPT's
 * {@code get_lr}). A pure function of the step, so a restored checkpoint resumes the same curve.
 *
 * <p>Steps count optimizer updates already applied: the first update is step 0.
 * <ul>
 *   <li>step &lt; warmupSteps: {@code max · (step + 1) / warmupSteps}, reaching max at step
 *       {@code warmupSteps − 1};</li>
 *   <li>warmupSteps ≤ step ≤ decayEndStep: {@code min + ½(1 + cos(π·r))(max − min)} with
 *       {@code r = (step − warmupSteps) / (decayEndStep − warmupSteps)};</li>
 *   <li>step &gt; decayEndStep: min.</li>
 * </ul>
 * With {@code decayEndStep = 0} the rate stays at max after warm-up (open-ended training).
 *
 * @param maxLearningRate peak rate, {@code millrace.optim.learning-rate}
 * @param minLearningRate floor of the cosine, {@code millrace.optim.min-learning-rate}
 * @param warmupSteps {@code millrace.optim.warmup-steps}
 * @param decayEndStep step at which the cosine reaches the floor, {@code millrace.optim.decay-end-step}
 */
public record LearningRateSchedule(
        double maxLearningRate, double minLearningRate, long warmupSteps, long decayEndStep) {

    public LearningRateSchedule {
        if (!(maxLearningRate > 0) || Double.isInfinite(maxLearningRate)) {
            throw new IllegalArgumentException(
                    "millrace.optim.learning-rate must be positive and finite (got " + maxLearningRate + ")");
        }
        if (!(minLearningRate >= 0 && minLearningRate <= maxLearningRate)) {
            throw new IllegalArgumentException("millrace.optim.min-learning-rate must be in [0, learning-rate "
                    + maxLearningRate + "] (got " + minLearningRate + ")");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException(
                    "millrace.optim.warmup-steps must not be negative (got " + warmupSteps + ")");
        }
        if (decayEndStep != 0 && decayEndStep <= warmupSteps) {
            throw new IllegalArgumentException("millrace.optim.decay-end-step must be 0 (no decay) or exceed"
                    + " warmup-steps " + warmupSteps + " (got " + decayEndStep + ")");
        }
    }

    /** A constant rate (no warm-up, no decay). */
    public static LearningRateSchedule constant(double learningRate) {
        return new LearningRateSchedule(learningRate, learningRate, 0, 0);
    }

    /** The learning rate for the update at {@code step} (0-based). */
    public double at(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative (got " + step + ")");
        }
        if (step < warmupSteps) {
            return maxLearningRate * (step + 1) / warmupSteps;
        }
        if (decayEndStep == 0) {
            return maxLearningRate;
        }
        if (step > decayEndStep) {
            return minLearningRate;
        }
        double ratio = (double) (step - warmupSteps) / (decayEndStep - warmupSteps);
        double coefficient = 0.5 * (1.0 + Math.cos(Math.PI * ratio));
        return minLearningRate + coefficient * (maxLearningRate - minLearningRate);
    }
}
