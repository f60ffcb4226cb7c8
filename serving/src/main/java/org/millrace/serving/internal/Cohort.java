package org.millrace.serving.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.millrace.serving.ServedModel;
import org.millrace.serving.Sampling;
import org.millrace.training.model.KvCache;

/**
 * Sequences generated together: same model, same prompt length, so they share one KV cache of shape
 * (B, nh, S, hs) and every forward pass steps all B of them. (The model's cache and position
 * embeddings take one length for the whole batch, and it has no padding mask, so sequences of other
 * lengths cannot join.) A row that finishes early is fed its last token until the whole cohort is
 * done; its outputs are ignored. Touched only by the generation worker.
 */
public final class Cohort implements AutoCloseable {
    private final ServedModel model;
    private final List<Choice> rows;
    private final NDManager manager;
    private final KvCache cache;
    private final int promptLength;

    /** @param rows choices whose prompts all have the same length; the caller holds a lease on the model */
    public Cohort(ServedModel model, List<Choice> rows) {
        if (!model.acquire()) {
            throw new IllegalStateException("model " + model.id() + " was closed while requests still used it");
        }
        this.model = model;
        this.rows = List.copyOf(rows);
        this.promptLength = rows.get(0).prompt().length;
        if (rows.stream().anyMatch(r -> r.prompt().length != promptLength)) {
            throw new IllegalArgumentException("a cohort takes prompts of one length");
        }
        this.manager = model.manager().newSubManager();
        this.cache = model.gpt().newKvCache(manager);
    }

    public int size() {
        return rows.size();
    }

    public ServedModel model() {
        return model;
    }

    public List<Choice> rows() {
        return rows;
    }

    /** Reads every prompt in one forward pass and picks each row's first token. */
    public void prefill() {
        int b = rows.size();
        int[] ids = new int[b * promptLength];
        for (int r = 0; r < b; r++) {
            System.arraycopy(rows.get(r).prompt(), 0, ids, r * promptLength, promptLength);
        }
        forward(ids, promptLength);
    }

    /** Feeds each row's last token (one position) and picks the next. */
    public void step() {
        int[] ids = new int[rows.size()];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = rows.get(r).lastToken();
        }
        forward(ids, 1);
    }

    /** Whether every row is done (then the cohort can be closed). */
    public boolean finished() {
        return rows.stream().allMatch(Choice::done);
    }

    private void forward(int[] ids, int t) {
        int b = rows.size();
        int vocab = model.config().vocabSize();
        int limit = model.tokenizer().vocabSize();
        float[] last;
        try (NDManager step = manager.newSubManager()) {
            NDArray tokens = step.create(ids, new Shape(b, t));                         // (B, T)
            NDArray logits = model.gpt().logits(tokens, cache);                        // (B, T, V)
            last = logits.get(":, -1, :").toFloatArray();                              // (B, V) row-major
        }
        for (int r = 0; r < b; r++) {
            Choice row = rows.get(r);
            if (!row.done()) {
                Sampling sampling = row.owner().request().sampling();
                row.accept(Sampler.pick(last, r * vocab, limit, sampling, row.random()));
            }
        }
    }

    @Override
    public void close() {
        try {
            cache.close();
            manager.close();
        } finally {
            model.release();
        }
    }
}
