package org.millrace.training.model;

import java.util.Locale;

/**
 * Estimated memory, in bytes, to train a {@link GptConfig} in fp32 with AdamW on one device.
 *
 * <p>Parameters, gradients and the two AdamW moments take 4 bytes each per parameter (16 bytes in
 * all). Activations are what {@link Gpt}'s forward keeps for the backward pass, with no activation
 * recomputation and attention written out (no fused kernel), counted per block as about
 * {@code 20·B·T·C} floats (LayerNorm inputs and outputs, q/k/v and their per-head copies,
 * the attention output, the 4C MLP hidden state before and after GELU) plus {@code 3·B·H·T²}
 * floats of attention scores (one more with dropout for its mask), and for the head
 * {@code 3·B·T·V} floats (logits, log-softmax, its gradient). Allocator slack, the CUDA context and
 * temporary workspaces come on top: leave 10–20% headroom.
 *
 * @param parameterBytes the weights
 * @param gradientBytes one gradient per weight
 * @param optimizerBytes AdamW's first and second moments
 * @param activationBytes activations kept for backward at the given micro-batch size
 * @param microBatchSize sequences per forward/backward pass the estimate is for
 */
public record TrainingMemory(
        long parameterBytes, long gradientBytes, long optimizerBytes, long activationBytes,
        int microBatchSize) {

    private static final long FLOAT_BYTES = 4;

    static TrainingMemory estimate(GptConfig config, int microBatchSize) {
        long n = config.parameterCount();
        long b = microBatchSize;
        long t = config.contextLength();
        long c = config.dModel();
        long h = config.nHeads();
        long scoresPerBlock = (config.dropout() > 0 ? 4 : 3) * b * h * t * t;
        long perBlock = 20 * b * t * c + scoresPerBlock;
        long head = 3 * b * t * config.vocabSize() + 2 * b * t * c;
        long activations = (config.nLayers() * perBlock + head) * FLOAT_BYTES;
        return new TrainingMemory(n * FLOAT_BYTES, n * FLOAT_BYTES, 2 * n * FLOAT_BYTES,
                activations, microBatchSize);
    }

    /** Everything together. */
    public long totalBytes() {
        return parameterBytes + gradientBytes + optimizerBytes + activationBytes;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%.2f GiB (params %.2f + grads %.2f + AdamW %.2f + activations %.2f at micro-batch %d)",
                gib(totalBytes()), gib(parameterBytes), gib(gradientBytes), gib(optimizerBytes),
                gib(activationBytes), microBatchSize);
    }

    private static double gib(long bytes) {
        return bytes / (1024.0 * 1024.0 * 1024.0);
    }
}
