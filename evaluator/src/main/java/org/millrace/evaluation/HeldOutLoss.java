package org.millrace.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.millrace.common.Tokenizer;
import org.millrace.training.model.Gpt;

/**
 * Loss and bits per byte of a model on held-out documents that never reach training. Each document is
 * cut into windows of the model's context (+1 for the targets) and scored token by token; bits per
 * byte divides the summed negative log-likelihood (in bits) by the documents' UTF-8 bytes, so it
 * compares across tokenizers (as The Pile and lm-evaluation-harness report it).
 *
 * @param name    task name in results
 * @param windows token windows, each at most context + 1 long
 * @param bytes   UTF-8 bytes of the text the windows cover
 */
public record HeldOutLoss(String name, List<int[]> windows, long bytes) {

    /** The figures of one evaluation. */
    public record Result(double loss, double lossStderr, double bitsPerByte, long tokens) {
    }

    public static HeldOutLoss of(String name, List<String> texts, Tokenizer tokenizer, int contextLength) {
        List<int[]> windows = new ArrayList<>();
        long bytes = 0;
        for (String text : texts) {
            bytes += text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            int[] ids = tokenizer.encode(text);
            int[] withEot = java.util.Arrays.copyOf(ids, ids.length + 1);
            withEot[ids.length] = tokenizer.endOfText();
            // windows overlap by one token so that every token after the first is predicted exactly once
            for (int from = 0; from + 1 < withEot.length; from += contextLength) {
                int to = Math.min(withEot.length, from + contextLength + 1);
                windows.add(java.util.Arrays.copyOfRange(withEot, from, to));
            }
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("held-out task " + name + " has no text to score");
        }
        return new HeldOutLoss(name, List.copyOf(windows), bytes);
    }

    /** Scores every window; per-window mean losses give the standard error. */
    public Result evaluate(Gpt model, NDManager parent) {
        double totalNats = 0;
        long totalTokens = 0;
        List<Double> perWindow = new ArrayList<>(windows.size());
        for (int[] w : windows) {
            try (NDManager m = parent.newSubManager()) {
                NDArray window = m.create(w).reshape(1, w.length); // (1, T+1)
                NDArray logProbs = model.tokenLogProbs(window); // (1, T)
                double nats = -logProbs.sum().getFloat();
                totalNats += nats;
                totalTokens += w.length - 1;
                perWindow.add(nats / (w.length - 1));
            }
        }
        double mean = totalNats / totalTokens;
        double var = 0;
        double unweighted = perWindow.stream().mapToDouble(d -> d).average().orElse(mean);
        for (double d : perWindow) {
            var += (d - unweighted) * (d - unweighted);
        }
        double stderr = perWindow.size() > 1 ? Math.sqrt(var / (perWindow.size() - 1) / perWindow.size()) : Double.NaN;
        double bitsPerByte = totalNats / Math.log(2) / bytes;
        return new Result(mean, stderr, bitsPerByte, totalTokens);
    }
}
