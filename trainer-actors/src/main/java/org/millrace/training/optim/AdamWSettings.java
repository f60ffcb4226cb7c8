package org.millrace.training.optim;

/**
 * AdamW hyper-parameters (the learning rate comes from a {@link LearningRateSchedule} per step).
 *
 * @param beta1 decay of the first moment, {@code millrace.optim.beta1}, in [0, 1)
 * @param beta2 decay of the second moment, {@code millrace.optim.beta2}, in [0, 1)
 * @param epsilon added to the root of the second moment, {@code millrace.optim.epsilon}, &gt; 0
 * @param weightDecay decoupled decay per unit learning rate, {@code millrace.optim.weight-decay}, ≥ 0
 */
public record AdamWSettings(double beta1, double beta2, double epsilon, double weightDecay) {

    public AdamWSettings {
        unitInterval("beta1", beta1);
        unitInterval("beta2", beta2);
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("millrace.optim.epsilon must be positive (got " + epsilon + ")");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "millrace.optim.weight-decay must be finite and not negative (got " + weightDecay + ")");
        }
    }

    /** GPT-2/nanoGPT values: β = (0.9, 0.95), ε = 1e-8, weight decay 0.1. */
    public static AdamWSettings gpt() {
        return new AdamWSettings(0.9, 0.95, 1e-8, 0.1);
    }

    private static void unitInterval(String key, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("millrace.optim." + key + " must be in [0, 1) (got " + value + ")");
        }
    }
}
