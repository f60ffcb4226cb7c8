package org.millrace.training.diloco.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What the workers of one round have sent, summed as it arrives: deltas (bf16/fp16 uploads) and parameter vectors
 * (fp32 uploads) apart, with who sent them, their tokens and losses; then the round's outer step on θ. Not
 * thread-safe: the coordinator's.
 */
public final class RoundSums {
    private final float[] deltaSum;  // (P) Σ Δ of the workers that sent deltas
    private final float[] workerSum; // (P) Σ W of the workers that sent their parameters
    private int deltaCount;
    private int workerCount;
    private final List<String> contributors = new ArrayList<>();
    private long tokens;
    private double lossSum;

    public RoundSums(int parameterCount) {
        deltaSum = new float[parameterCount];
        workerSum = new float[parameterCount];
    }

    /** Adds one worker's vector: its delta Δ = W − θ_r when {@code isDelta}, else its parameters W. */
    public void add(String workerId, boolean isDelta, float[] values, long workerTokens, double workerLoss) {
        float[] sum = isDelta ? deltaSum : workerSum;
        if (values.length != sum.length) {
            throw new IllegalArgumentException("worker " + workerId + " sent " + values.length + " values; θ has " + sum.length);
        }
        for (int i = 0; i < values.length; i++) {
            sum[i] += values[i];
        }
        if (isDelta) {
            deltaCount++;
        } else {
            workerCount++;
        }
        contributors.add(workerId);
        tokens += workerTokens;
        lossSum += workerLoss;
    }

    public boolean isEmpty() {
        return contributors.isEmpty();
    }

    /**
     * The outer step on θ (in place) from the mean of what the round got. Parameter vectors alone go through
     * {@link OuterNesterov#stepFromParameters}, exact for one worker at lr 1; a mix is taken as deltas.
     */
    public void applyOuterStep(OuterNesterov outer, float[] parameters) {
        if (deltaCount == 0) {
            outer.stepFromParameters(parameters, workerSum, workerCount);
            return;
        }
        for (int i = 0; i < parameters.length; i++) {
            deltaSum[i] += workerSum[i] - workerCount * parameters[i]; // workers that sent parameters, as deltas
        }
        outer.step(parameters, deltaSum, deltaCount + workerCount);
    }

    public List<String> contributors() {
        return List.copyOf(contributors);
    }

    public long tokens() {
        return tokens;
    }

    public double meanLoss() {
        return lossSum / contributors.size();
    }
}
