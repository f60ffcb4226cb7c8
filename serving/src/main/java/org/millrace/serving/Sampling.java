package org.millrace.serving;

/**
 * How the next token is chosen from the logits.
 *
 * @param temperature 0 picks the most likely token (greedy); otherwise logits are divided by it, in (0, 2]
 * @param topP        nucleus sampling: only the most likely tokens whose probabilities add up to top_p, in (0, 1]
 * @param topK        only the k most likely tokens; 0 means all
 * @param seed        seed of the draws, or null for a fresh random one; choice i of a request draws from seed + i
 */
public record Sampling(double temperature, double topP, int topK, Long seed) {
    public static final Sampling GREEDY = new Sampling(0, 1, 0, null);

    public Sampling {
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be within [0, 2] (got " + temperature + ")");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be within (0, 1] (got " + topP + ")");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (got " + topK + ")");
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
