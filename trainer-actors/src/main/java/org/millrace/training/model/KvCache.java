package org.millrace.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Keys and values of the positions a {@link Gpt} has already read, per layer, so that generation
 * feeds only new tokens: {@code gpt.logits(prompt, cache)}, then {@code gpt.logits(next, cache)}
 * one token at a time. Positions continue from {@link #length()}; the total may not exceed the
 * context length. Arrays live in the cache's own manager; close the cache to free them.
 */
public final class KvCache implements AutoCloseable {

    private static final NDIndex ALL = new NDIndex("...");

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Number of positions held. */
    public int length() {
        return length;
    }

    /**
     * Appends one layer's new keys and values along the time axis and returns the whole history,
     * as views attached to the manager of the new arrays (so the caller's per-step manager frees
     * them, while the cache keeps its own copy).
     *
     * @param k (B, nh, T, hs) new keys
     * @param v (B, nh, T, hs) new values
     * @return keys and values (B, nh, past + T, hs)
     */
    NDList append(int layer, NDArray k, NDArray v) {
        keys[layer] = extend(keys[layer], k);                                          // (B, nh, S, hs)
        values[layer] = extend(values[layer], v);                                      // (B, nh, S, hs)
        NDManager caller = k.getManager();
        return new NDList(keys[layer].get(caller, ALL), values[layer].get(caller, ALL));
    }

    /** Called once per forward pass, after every layer appended. */
    void advance(int newPositions) {
        length += newPositions;
    }

    private NDArray extend(NDArray held, NDArray fresh) {
        if (held == null) {
            return fresh.get(manager, ALL);                                            // (B, nh, T, hs)
        }
        NDArray joined = held.concat(fresh, 2);                                        // (B, nh, past + T, hs)
        held.close();
        return joined;
    }

    @Override
    public void close() {
        manager.close();
    }
}
