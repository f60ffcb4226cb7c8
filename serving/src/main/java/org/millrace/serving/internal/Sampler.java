package org.millrace.serving.internal;

import java.util.Arrays;
import java.util.Random;
import org.millrace.serving.Sampling;

/**
 * Picks a token from one row of logits: greedy, or temperature, then top-k, then top-p (nucleus),
 * then a draw from the renormalised distribution. Written here because it runs on a plain float row
 * already on the heap (one copy per step for the whole batch), where a tensor round trip per row would
 * cost more than the arithmetic.
 */
public final class Sampler {
    private Sampler() {
    }

    /**
     * @param logits row-major logits of several rows
     * @param offset start of this row
     * @param limit  ids at or above it are never picked (a vocabulary padded beyond the tokenizer's)
     */
    public static int pick(float[] logits, int offset, int limit, Sampling sampling, Random random) {
        if (sampling.greedy()) {
            return argmax(logits, offset, limit);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < limit; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        // candidates as (probability bits << 32 | id), so that one primitive sort orders them by probability
        double invT = 1.0 / sampling.temperature();
        long[] keyed = new long[limit];
        for (int i = 0; i < limit; i++) {
            float p = (float) Math.exp((logits[offset + i] - max) * invT); // unnormalised, in (0, 1]
            keyed[i] = ((long) Float.floatToIntBits(p) << 32) | i;
        }
        Arrays.sort(keyed); // ascending: the most likely last (non-negative floats order like their bits)
        int keep = sampling.topK() > 0 ? Math.min(sampling.topK(), limit) : limit;
        double total = 0;
        for (int j = limit - 1; j >= limit - keep; j--) {
            total += probability(keyed[j]);
        }
        if (sampling.topP() < 1.0) {
            double cumulative = 0;
            int kept = 0;
            for (int j = limit - 1; j >= limit - keep; j--) {
                cumulative += probability(keyed[j]);
                kept++;
                if (cumulative >= sampling.topP() * total) {
                    break;
                }
            }
            keep = kept;
            total = cumulative;
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        for (int j = limit - 1; j >= limit - keep; j--) {
            cumulative += probability(keyed[j]);
            if (u < cumulative) {
                return (int) keyed[j];
            }
        }
        return (int) keyed[limit - keep]; // rounding left u at the very top
    }

    static int argmax(float[] logits, int offset, int limit) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < limit; i++) {
            if (logits[offset + i] > bestValue) {
                bestValue = logits[offset + i];
                best = i;
            }
        }
        return best;
    }

    private static double probability(long keyed) {
        return Float.intBitsToFloat((int) (keyed >>> 32));
    }
}
