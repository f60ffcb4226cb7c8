package org.millrace.evaluation.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.millrace.common.Tokenizer;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.KvCache;

/**
 * The three requests of lm-evaluation-harness on a {@link Gpt}: log-likelihood of a continuation after
 * a context, rolling log-likelihood of a whole text, and greedy generation. Log-likelihood requests are
 * scored in batches of sequences of similar length, right-padded (under the causal mask padding after a
 * sequence cannot change its positions), the padded positions left out of the sums. The order of
 * batches depends only on the requests, so a checkpoint scores the same every time.
 */
public final class LanguageModel {
    private final Gpt model;
    private final NDManager manager;
    private final Tokenizer tokenizer;
    private final int batchSize;
    private final int contextLength;

    /**
     * @param model     the model (not thread-safe: one evaluation at a time)
     * @param manager   parent manager; every batch uses a sub-manager closed after it
     * @param batchSize sequences per forward pass ({@code millrace.eval.batch-size})
     */
    public LanguageModel(Gpt model, NDManager manager, Tokenizer tokenizer, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("millrace.eval.batch-size must be >= 1 (got " + batchSize + ")");
        }
        this.model = model;
        this.manager = manager;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.contextLength = model.config().contextLength();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** A log-likelihood request: the continuation's tokens after the context's. */
    public record Request(int[] context, int[] continuation) {
    }

    /** A token sequence whose positions {@code [scoreFrom, length)} are summed. */
    private record Sequence(int index, int[] tokens, int scoreFrom) {
    }

    /**
     * Sum of log p(continuation | context) per request, in nats. A context longer than the model reads is
     * cut from the left (as lm-evaluation-harness does); an empty context is the end-of-text token.
     */
    public double[] logLikelihoods(List<Request> requests) {
        List<Sequence> seqs = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            if (r.continuation().length == 0) {
                throw new IllegalArgumentException("request " + i + " has an empty continuation");
            }
            int[] context = r.context().length == 0 ? new int[] {tokenizer.endOfText()} : r.context();
            int[] whole = concat(context, r.continuation());
            int keep = Math.min(whole.length, contextLength + 1);
            int[] window = Arrays.copyOfRange(whole, whole.length - keep, whole.length);
            // position t of the log-probs predicts window[t + 1]; the continuation starts at window index keep - |cont|
            int scoreFrom = Math.max(0, keep - r.continuation().length - 1);
            seqs.add(new Sequence(i, window, scoreFrom));
        }
        return score(seqs, requests.size());
    }

    /**
     * Log-likelihood of every token of a text, each predicted once: the end-of-text token starts the text,
     * and it is cut into disjoint windows of the context length (lm-evaluation-harness's rolling windows).
     *
     * @return summed nats per text, and the number of tokens scored per text
     */
    public RollingResult rolling(List<int[]> texts) {
        List<Sequence> seqs = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        long[] tokens = new long[texts.size()];
        for (int t = 0; t < texts.size(); t++) {
            int[] ids = texts.get(t);
            int[] withStart = concat(new int[] {tokenizer.endOfText()}, ids);
            for (int from = 0; from + 1 < withStart.length; from += contextLength) {
                int to = Math.min(withStart.length, from + contextLength + 1);
                seqs.add(new Sequence(seqs.size(), Arrays.copyOfRange(withStart, from, to), 0));
                owners.add(t);
            }
            tokens[t] = ids.length;
        }
        int[] owner = owners.stream().mapToInt(Integer::intValue).toArray();
        double[] perWindow = score(seqs, seqs.size());
        double[] perText = new double[texts.size()];
        for (int w = 0; w < perWindow.length; w++) {
            perText[owner[w]] += perWindow[w];
        }
        return new RollingResult(perText, tokens);
    }

    /** Summed log-likelihood (nats) and scored tokens per text. */
    public record RollingResult(double[] nats, long[] tokens) {
    }

    private double[] score(List<Sequence> seqs, int results) {
        double[] out = new double[results];
        List<Sequence> sorted = new ArrayList<>(seqs);
        // longest first, ties by index: batches of similar lengths, in an order fixed by the requests
        sorted.sort(Comparator.comparingInt((Sequence s) -> -s.tokens().length).thenComparingInt(Sequence::index));
        for (int from = 0; from < sorted.size(); from += batchSize) {
            List<Sequence> batch = sorted.subList(from, Math.min(sorted.size(), from + batchSize));
            int len = batch.get(0).tokens().length;
            int[] flat = new int[batch.size() * len];
            for (int b = 0; b < batch.size(); b++) {
                int[] t = batch.get(b).tokens();
                System.arraycopy(t, 0, flat, b * len, t.length); // right-padded with token 0
            }
            float[] logProbs;
            try (NDManager m = manager.newSubManager()) {
                NDArray window = m.create(flat, new Shape(batch.size(), len));                // (B, T+1)
                logProbs = model.tokenLogProbs(window).toFloatArray();                          // (B, T) flattened
            }
            for (int b = 0; b < batch.size(); b++) {
                Sequence s = batch.get(b);
                double sum = 0;
                for (int t = s.scoreFrom(); t < s.tokens().length - 1; t++) {
                    sum += logProbs[b * (len - 1) + t];
                }
                out[s.index()] = sum;
            }
        }
        return out;
    }

    /**
     * Greedy decoding with a KV cache: the context's tokens (cut from the left to leave room), then one
     * token at a time, until the text holds a newline, end-of-text comes, or {@code maxNewTokens} are made.
     *
     * @return the generated text up to (without) the first newline
     */
    public String greedyLine(String context, int maxNewTokens) {
        int[] prompt = tokenizer.encode(context);
        if (prompt.length == 0) {
            prompt = new int[] {tokenizer.endOfText()};
        }
        int room = Math.max(1, contextLength - maxNewTokens);
        if (prompt.length > room) {
            prompt = Arrays.copyOfRange(prompt, prompt.length - room, prompt.length);
        }
        List<Integer> generated = new ArrayList<>();
        try (NDManager m = manager.newSubManager(); KvCache cache = model.newKvCache(m)) {
            int next;
            try (NDManager step = m.newSubManager()) {
                NDArray logits = model.logits(step.create(prompt, new Shape(1, prompt.length)), cache); // (1, T, V)
                next = (int) logits.get(0, prompt.length - 1).argMax().getLong();                       // (V) → ()
            }
            while (true) {
                if (next == tokenizer.endOfText()) {
                    break;
                }
                generated.add(next);
                String text = tokenizer.decode(generated.stream().mapToInt(Integer::intValue).toArray());
                int nl = text.indexOf('\n');
                if (nl >= 0) {
                    return text.substring(0, nl);
                }
                if (generated.size() >= maxNewTokens || cache.length() >= contextLength) {
                    return text;
                }
                try (NDManager step = m.newSubManager()) {
                    NDArray logits = model.logits(step.create(new int[] {next}, new Shape(1, 1)), cache);    // (1, 1, V)
                    next = (int) logits.get(0, 0).argMax().getLong();                                        // (V) → ()
                }
            }
        }
        return tokenizer.decode(generated.stream().mapToInt(Integer::intValue).toArray());
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
