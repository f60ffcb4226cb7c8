package org.millrace.evaluation.scoring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.millrace.common.Tokenizer;
import org.millrace.common.evalsets.EvalTaskType;

/**
 * Bits per byte of held-out texts (as The Pile and lm-evaluation-harness report it): the summed negative
 * log-likelihood of every token, in bits, over the texts' UTF-8 bytes, so that it compares across
 * tokenizers. Also reports {@code loss}, the mean nats per token. The standard error of bits per byte is
 * that of a ratio estimator over the texts (each text a sample of bits and bytes).
 */
public final class BitsPerByteBenchmark implements Benchmark {
    private final String name;
    private final List<int[]> texts;
    private final long[] bytes;

    private BitsPerByteBenchmark(String name, List<int[]> texts, long[] bytes) {
        this.name = name;
        this.texts = texts;
        this.bytes = bytes;
    }

    /**
     * @param maxBytes score at most this many bytes per evaluation, texts taken in order and the last one
     *                 cut (0: all); keeps evaluation of every checkpoint affordable on a CPU
     */
    public static BitsPerByteBenchmark of(String name, List<String> texts, Tokenizer tokenizer, long maxBytes) {
        List<int[]> tokens = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        long total = 0;
        for (String text : texts) {
            if (maxBytes > 0 && total >= maxBytes) {
                break;
            }
            String t = text;
            byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
            if (maxBytes > 0 && total + utf8.length > maxBytes) {
                t = cut(t, maxBytes - total);
                utf8 = t.getBytes(StandardCharsets.UTF_8);
            }
            if (utf8.length == 0) {
                continue;
            }
            tokens.add(tokenizer.encode(t));
            sizes.add((long) utf8.length);
            total += utf8.length;
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("bits-per-byte task " + name + " has no text to score");
        }
        return new BitsPerByteBenchmark(name, List.copyOf(tokens), sizes.stream().mapToLong(Long::longValue).toArray());
    }

    /** The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes, never splitting a character. */
    static String cut(String text, long maxBytes) {
        long used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + len > maxBytes) {
                break;
            }
            used += len;
            i += Character.charCount(cp);
        }
        return text.substring(0, i);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EvalTaskType type() {
        return EvalTaskType.BITS_PER_BYTE;
    }

    @Override
    public int size() {
        return texts.size();
    }

    /** UTF-8 bytes scored. */
    public long bytes() {
        long b = 0;
        for (long x : bytes) {
            b += x;
        }
        return b;
    }

    @Override
    public List<Score> run(LanguageModel lm) {
        LanguageModel.RollingResult r = lm.rolling(texts);
        double nats = 0;
        long tokens = 0;
        long totalBytes = 0;
        for (int i = 0; i < texts.size(); i++) {
            nats -= r.nats()[i];
            tokens += r.tokens()[i];
            totalBytes += bytes[i];
        }
        double bpb = nats / Math.log(2) / totalBytes;
        return List.of(new Score("bits_per_byte", bpb, ratioStderr(r, bpb), texts.size()),
                new Score("loss", nats / tokens, Double.NaN, tokens));
    }

    /** Standard error of Σbits/Σbytes over n texts: √(Σ(bitsᵢ − R·bytesᵢ)² / (n(n−1))) / mean bytes. */
    private double ratioStderr(LanguageModel.RollingResult r, double ratio) {
        int n = texts.size();
        if (n < 2) {
            return Double.NaN;
        }
        double ss = 0;
        double meanBytes = 0;
        for (int i = 0; i < n; i++) {
            double bits = -r.nats()[i] / Math.log(2);
            double d = bits - ratio * bytes[i];
            ss += d * d;
            meanBytes += bytes[i];
        }
        meanBytes /= n;
        return Math.sqrt(ss / ((double) n * (n - 1))) / meanBytes;
    }
}
