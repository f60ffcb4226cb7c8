package org.millrace.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.millrace.serving.internal.Sampler;
import org.millrace.serving.internal.SlotDecoder;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.KvCache;

/**
 * Greedy generation of one sequence, three ways: incrementally with the server's slot cache
 * ({@link SlotDecoder}) or with the model's {@link KvCache} (the prompt once, then one position per
 * token), and by recomputing the whole sequence for every token. They pick the same tokens; the last
 * is the baseline the caches are measured against ({@code serve.kv_cache_speedup}).
 */
public final class GreedyDecoding {
    private GreedyDecoding() {
    }

    /** The prompt followed by {@code newTokens} greedy tokens, decoded as the server decodes (one slot). */
    public static int[] withSlots(ServedModel model, int[] prompt, int newTokens) {
        int[] out = Arrays.copyOf(prompt, prompt.length + newTokens);
        int vocab = model.config().vocabSize();
        try (SlotDecoder slots = new SlotDecoder(model, 1)) {
            float[] logits = slots.prefill(0, prompt);
            for (int i = 0; i < newTokens; i++) {
                out[prompt.length + i] = Sampler.pick(logits, 0, vocab, Sampling.GREEDY, null);
                if (i + 1 < newTokens) {
                    logits = slots.step(0, new int[] {out[prompt.length + i]}, new int[] {prompt.length + i});
                }
            }
        }
        return out;
    }

    /** The prompt followed by {@code newTokens} greedy tokens, decoded with the model's KV cache. */
    public static int[] withCache(Gpt gpt, NDManager manager, int[] prompt, int newTokens) {
        int[] out = Arrays.copyOf(prompt, prompt.length + newTokens);
        int vocab = gpt.config().vocabSize();
        try (NDManager m = manager.newSubManager(); KvCache cache = gpt.newKvCache(m)) {
            int[] feed = prompt;
            for (int i = 0; i < newTokens; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray tokens = step.create(feed, new Shape(1, feed.length));      // (1, T)
                    float[] last = gpt.logits(tokens, cache).get(":, -1, :").toFloatArray(); // (1, T, V) → (1, V)
                    out[prompt.length + i] = Sampler.pick(last, 0, vocab, Sampling.GREEDY, null);
                }
                feed = new int[] {out[prompt.length + i]};
            }
        }
        return out;
    }

    /** The same as {@link #withCache} without a cache: every token re-reads the whole sequence. */
    public static int[] recomputing(Gpt gpt, NDManager manager, int[] prompt, int newTokens) {
        int[] out = Arrays.copyOf(prompt, prompt.length + newTokens);
        int vocab = gpt.config().vocabSize();
        for (int i = 0; i < newTokens; i++) {
            int length = prompt.length + i;
            try (NDManager step = manager.newSubManager()) {
                NDArray tokens = step.create(Arrays.copyOf(out, length), new Shape(1, length)); // (1, T)
                float[] last = gpt.logits(tokens, null).get(":, -1, :").toFloatArray();        // (1, T, V) → (1, V)
                out[length] = Sampler.pick(last, 0, vocab, Sampling.GREEDY, null);
            }
        }
        return out;
    }
}
