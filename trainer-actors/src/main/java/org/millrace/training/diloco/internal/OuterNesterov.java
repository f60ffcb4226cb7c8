package org.millrace.training.diloco.internal;

/**
 * The outer optimizer of DiLoCo: SGD with Nesterov momentum on the outer gradient, computing what
 * {@code torch.optim.SGD(lr, momentum, nesterov=True)} computes (dampening 0, no weight decay):
 * <pre>
 *   g   = −mean(Δ)            (Δ = θ_worker − θ: the outer gradient points from the workers back to θ)
 *   buf = μ·buf + g           (buf = g at the first step, as PyTorch starts it)
 *   θ   ← θ − lr·(g + μ·buf)
 * </pre>
 * With lr 1 and μ 0 the step sets θ to the workers' mean. In fp32, as the parameters are.
 *
 * <p>From fp32 worker parameters W the step is taken in the equal form θ ← mean(W) + (1 − lr)·g − lr·μ·buf
 * (g = θ − mean(W)), which with lr 1 and μ 0 is mean(W) bit for bit: no θ + (W − θ) round trip, so one worker
 * with H = 1 takes exactly the AdamW steps of ordinary training.
 */
public final class OuterNesterov {
    private final float learningRate;
    private final float momentum;
    private final float[] buffer;
    private long steps;

    public OuterNesterov(int size, double learningRate, double momentum) {
        this.learningRate = (float) learningRate;
        this.momentum = (float) momentum;
        this.buffer = new float[size];
    }

    /** An optimizer that goes on from a saved buffer after {@code steps} outer steps (a coordinator snapshot). */
    public OuterNesterov(float[] buffer, long steps, double learningRate, double momentum) {
        this.learningRate = (float) learningRate;
        this.momentum = (float) momentum;
        this.buffer = buffer.clone();
        this.steps = steps;
    }

    /**
     * One outer step in place.
     *
     * @param parameters θ, updated
     * @param deltaSum   Σ Δ over the contributing workers
     * @param workers    how many deltas the sum holds
     */
    public void step(float[] parameters, float[] deltaSum, int workers) {
        if (parameters.length != buffer.length || deltaSum.length != buffer.length) {
            throw new IllegalArgumentException("outer step on " + parameters.length + " parameters and " + deltaSum.length
                    + " deltas; the optimizer holds " + buffer.length);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("an outer step needs at least one delta (got " + workers + ")");
        }
        float n = workers;
        boolean first = steps == 0;
        for (int i = 0; i < parameters.length; i++) {
            float g = -(deltaSum[i] / n);
            float b = first ? g : momentum * buffer[i] + g;
            buffer[i] = b;
            parameters[i] -= learningRate * (g + momentum * b);
        }
        steps++;
    }

    /**
     * One outer step in place from the workers' parameters.
     *
     * @param parameters θ, updated
     * @param workerSum  Σ W over the contributing workers
     * @param workers    how many parameter vectors the sum holds
     */
    public void stepFromParameters(float[] parameters, float[] workerSum, int workers) {
        if (parameters.length != buffer.length || workerSum.length != buffer.length || workers < 1) {
            throw new IllegalArgumentException("outer step on " + parameters.length + " parameters from " + workers
                    + " workers' " + workerSum.length + " values; the optimizer holds " + buffer.length);
        }
        float n = workers;
        boolean first = steps == 0;
        for (int i = 0; i < parameters.length; i++) {
            float mean = workerSum[i] / n;
            float g = parameters[i] - mean;
            float b = first ? g : momentum * buffer[i] + g;
            buffer[i] = b;
            parameters[i] = mean + (1 - learningRate) * g - learningRate * momentum * b;
        }
        steps++;
    }

    public long steps() {
        return steps;
    }

    /** The momentum buffer (live), e.g. for a checkpoint. */
    public float[] buffer() {
        return buffer;
    }
}
