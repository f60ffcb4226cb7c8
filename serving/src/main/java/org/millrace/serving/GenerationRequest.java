package org.millrace.serving;

import java.util.List;

/**
 * What to generate: {@code n} choices for each prompt (choice {@code p·n + j} is the j-th of prompt p),
 * each up to {@code maxTokens} new tokens, with a leased model (given back by the engine when done).
 *
 * @param model     the model the request was accepted on, leased by {@link ModelSlot}
 * @param prompts   token ids of each prompt, none empty
 * @param n         choices per prompt
 * @param maxTokens most new tokens per choice; every prompt length + maxTokens fits the context
 * @param sampling  how tokens are picked
 * @param stops     texts that end a choice (not included in it)
 * @param listener  receives the text
 */
public record GenerationRequest(ServedModel model, List<int[]> prompts, int n, int maxTokens, Sampling sampling,
                                List<String> stops, GenerationListener listener) {
    public GenerationRequest {
        prompts = List.copyOf(prompts);
        stops = List.copyOf(stops);
        if (prompts.isEmpty() || prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("every prompt needs at least one token");
        }
        if (n < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("n and max_tokens must be >= 1 (got " + n + ", " + maxTokens + ")");
        }
        int context = model.config().contextLength();
        for (int[] p : prompts) {
            if (p.length + maxTokens > context) {
                throw new IllegalArgumentException("prompt of " + p.length + " tokens + max_tokens " + maxTokens
                        + " exceeds the context length " + context);
            }
        }
    }

    /** Sequences this request generates at once. */
    public int sequences() {
        return prompts.size() * n;
    }

    public int promptTokens() {
        return prompts.stream().mapToInt(p -> p.length).sum();
    }
}
