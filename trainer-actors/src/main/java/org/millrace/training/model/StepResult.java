package org.millrace.training.model;

/**
 * What one optimizer step did.
 *
 * @param step index of this step (0 for the first), the one the learning rate was taken at
 * @param loss mean next-token cross-entropy over the step's tokens, in nats
 * @param gradNorm global L2 norm of the gradient before clipping
 * @param learningRate the rate applied
 * @param tokens predicted tokens in the step (B·T summed over micro-batches)
 * @param updateApplied false if the loss or gradient was not finite and the update was dropped
 * @param elapsedNanos wall time of the step
 */
public record StepResult(long step, double loss, double gradNorm, double learningRate, long tokens,
        boolean updateApplied, long elapsedNanos) {

    /** Training throughput of this step. */
    public double tokensPerSecond() {
        return elapsedNanos == 0 ? 0.0 : tokens * 1e9 / elapsedNanos;
    }
}
