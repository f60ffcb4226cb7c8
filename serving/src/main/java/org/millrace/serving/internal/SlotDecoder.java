package org.millrace.serving.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import org.millrace.serving.ServedModel;
import org.millrace.training.model.GptConfig;
import org.millrace.training.optim.Autograd;

/**
 * Incremental decoding of many sequences at different positions in one forward pass: the serving
 * project's own idea of a KV cache. The model's {@code KvCache} holds one length for a whole batch;
 * here each sequence owns a <em>slot</em> of a preallocated cache (slots, nh, T, hs) per layer, a step
 * writes each sequence's new key and value at its own position, and attention masks every slot to its
 * own length. So sequences that arrived at different times, with prompts of different lengths, share
 * every forward pass (continuous batching).
 *
 * <p>The arithmetic is {@code Gpt}'s, from its own parameters (same names, same operators: LayerNorm
 * ε 1e-5, exact GELU, q scaled by 1/√hs, −∞ mask, head tied to {@code wte}); a test checks that the
 * logits equal the model's. Touched only by the generation worker; not thread-safe.
 */
public final class SlotDecoder implements AutoCloseable {
    private final ServedModel model;
    private final GptConfig config;
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray wte;
    private final NDArray wpe;
    private final java.util.Map<String, NDArray> parameters = new java.util.HashMap<>();

    /** Allocates {@code slots} slots of the full context; takes a lease on the model until closed. */
    public SlotDecoder(ServedModel model, int slots) {
        if (!model.acquire()) {
            throw new IllegalStateException("model " + model.id() + " was closed while requests still used it");
        }
        this.model = model;
        this.config = model.config();
        this.manager = model.manager().newSubManager();
        model.gpt().getParameters().forEach(p -> parameters.put(p.getKey(), p.getValue().getArray()));
        Shape cache = new Shape(slots, config.nHeads(), config.contextLength(), config.headSize());
        keys = new NDArray[config.nLayers()];
        values = new NDArray[config.nLayers()];
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(cache);                                               // (slots, nh, T, hs)
            values[l] = manager.zeros(cache);                                             // (slots, nh, T, hs)
        }
        wte = param("wte.weight");
        wpe = param("wpe.weight");
    }

    public ServedModel model() {
        return model;
    }

    /**
     * Reads a prompt into a slot (positions 0..P-1).
     *
     * @return the logits of the prompt's last position, (V)
     */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    public float[] prefill(int slot, int[] prompt) {
        int t = prompt.length;
        try (Autograd.Scope ignored = Autograd.disabled(); NDManager m = manager.newSubManager()) {
            NDArray x = embed(m.create(prompt, new Shape(1, t)), m.arange(0, t));         // (1, T, C)
            float[] mask = new float[t * t];
            for (int i = 0; i < t; i++) {
                for (int j = i + 1; j < t; j++) {
                    mask[i * t + j] = Float.NEGATIVE_INFINITY;
                }
            }
            NDArray additive = m.create(mask, new Shape(1, 1, t, t));                    // (1, 1, T, T)
            String target = slot + ":" + (slot + 1) + ", :, 0:" + t + ", :";
            for (int l = 0; l < keys.length; l++) {
                int layer = l;
                x = block(l, x, additive, (k, v) -> {
                    keys[layer].set(new NDIndex(target), k);                                // (1, nh, T, hs)
                    values[layer].set(new NDIndex(target), v);
                    return new NDList(k, v);                                               // the prompt attends to itself
                });
            }
            return logits(x).get(":, -1, :").toFloatArray();                               // (1, T, V) → (V)
        }
    }

    /** Copies the first {@code length} positions of a slot into another (choices of one prompt; compaction). */
    public void copy(int from, int to, int length) {
        if (from == to || length == 0) {
            return;
        }
        NDIndex source = new NDIndex(from + ":" + (from + 1) + ", :, 0:" + length + ", :");
        NDIndex target = new NDIndex(to + ":" + (to + 1) + ", :, 0:" + length + ", :");
        try (NDManager m = manager.newSubManager()) {
            for (int l = 0; l < keys.length; l++) {
                keys[l].set(target, keys[l].get(m, source).duplicate());                  // (1, nh, len, hs)
                values[l].set(target, values[l].get(m, source).duplicate());
            }
        }
    }

    /**
     * One token for each of the slots {@code first .. first+tokens.length-1}: slot {@code first + b}
     * reads {@code tokens[b]} at position {@code positions[b]} (its length so far).
     *
     * @return the next-token logits, (B, V) row-major
     */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    public float[] step(int first, int[] tokens, int[] positions) {
        int b = tokens.length;
        int span = 0;
        for (int p : positions) {
            span = Math.max(span, p + 1);
        }
        try (Autograd.Scope ignored = Autograd.disabled(); NDManager m = manager.newSubManager()) {
            NDArray x = embed(m.create(tokens, new Shape(b, 1)), m.create(positions).expandDims(1)); // (B, 1, C)
            float[] mask = new float[b * span];
            for (int r = 0; r < b; r++) {
                for (int j = positions[r] + 1; j < span; j++) {
                    mask[r * span + j] = Float.NEGATIVE_INFINITY;                       // j beyond this row's position
                }
            }
            NDArray additive = m.create(mask, new Shape(b, 1, 1, span));                   // (B, 1, 1, S)
            NDIndex history = new NDIndex(first + ":" + (first + b) + ", :, 0:" + span + ", :");
            for (int l = 0; l < keys.length; l++) {
                int layer = l;
                x = block(l, x, additive, (k, v) -> {
                    for (int r = 0; r < b; r++) {
                        NDIndex at = new NDIndex((first + r) + ", :, " + positions[r] + ":" + (positions[r] + 1) + ", :");
                        keys[layer].set(at, k.get(r));                                    // (nh, 1, hs)
                        values[layer].set(at, v.get(r));
                    }
                    return new NDList(keys[layer].get(m, history), values[layer].get(m, history)); // (B, nh, S, hs)
                });
            }
            return logits(x).toFloatArray();                                              // (B, 1, V)
        }
    }

    /** Writes the new keys and values and returns the history to attend to. */
    @FunctionalInterface
    private interface CacheUpdate {
        NDList apply(NDArray k, NDArray v);
    }

    private NDArray embed(NDArray tokens, NDArray positions) {
        NDArray tok = Embedding.embedding(tokens, wte, SparseFormat.DENSE).singletonOrThrow();      // (B, T, C)
        NDArray pos = Embedding.embedding(positions, wpe, SparseFormat.DENSE).singletonOrThrow();   // (B|1, T, C) or (T, C)
        return tok.add(pos);                                                                        // (B, T, C)
    }

    /** Gpt's block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
    private NDArray block(int l, NDArray x, NDArray mask, CacheUpdate cache) {
        String h = "h." + l + ".";
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int nh = config.nHeads();
        int hs = config.headSize();
        NDList qkv = linear(norm(x, h + "ln_1."), h + "attn.c_attn.").split(3, 2);                  // 3 × (B, T, C)
        NDArray q = qkv.get(0).reshape(b, t, nh, hs).transpose(0, 2, 1, 3);                       // (B, nh, T, hs)
        NDArray k = qkv.get(1).reshape(b, t, nh, hs).transpose(0, 2, 1, 3);                       // (B, nh, T, hs)
        NDArray v = qkv.get(2).reshape(b, t, nh, hs).transpose(0, 2, 1, 3);                       // (B, nh, T, hs)
        NDList history = cache.apply(k, v);                                                        // 2 × (B, nh, S, hs)
        q = q.mul(1.0 / Math.sqrt(hs));                                                             // (B, nh, T, hs)
        NDArray att = q.matMul(history.get(0).transpose(0, 1, 3, 2)).add(mask).softmax(-1);        // (B, nh, T, S)
        NDArray y = att.matMul(history.get(1)).transpose(0, 2, 1, 3).reshape(b, t, config.dModel()); // (B, T, C)
        x = x.add(linear(y, h + "attn.c_proj."));                                                  // (B, T, C)
        NDArray hidden = Activation.gelu(linear(norm(x, h + "ln_2."), h + "mlp.c_fc."));            // (B, T, 4C)
        return x.add(linear(hidden, h + "mlp.c_proj."));                                           // (B, T, C)
    }

    private NDArray logits(NDArray x) {
        return Linear.linear(norm(x, "ln_f."), wte).singletonOrThrow();                            // (B, T, C)·wteᵀ → (B, T, V)
    }

    private NDArray linear(NDArray x, String prefix) {
        NDArray y = x.matMul(param(prefix + "weight"));                                            // (B, T, in)·(in, out)
        return config.bias() ? y.add(param(prefix + "bias")) : y;                                  // (B, T, out)
    }

    private NDArray norm(NDArray x, String prefix) {
        return LayerNorm.layerNorm(x, new Shape(config.dModel()), param(prefix + "weight"),
                config.bias() ? param(prefix + "bias") : null, 1e-5f).singletonOrThrow();          // (B, T, C)
    }

    private NDArray param(String name) {
        return parameters.get(name);
    }

    @Override
    public void close() {
        try {
            manager.close();
        } finally {
            model.release();
        }
    }
}
