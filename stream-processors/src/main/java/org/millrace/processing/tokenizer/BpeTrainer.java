package org.millrace.processing.tokenizer;

import java.time.Duration;
import java.util.List;
import org.millrace.processing.tokenizer.internal.MergeLearner;
import org.millrace.processing.tokenizer.internal.TokenizerJson;
import org.millrace.processing.tokenizer.internal.WordCounts;

/**
 * Trains a byte-level BPE tokenizer on sample texts and gives it as a Hugging Face {@code tokenizer.json}
 * (see {@link org.millrace.processing.tokenizer.internal.MergeLearner} for why the merges are learned
 * here rather than by the library). Ids 0–255 are the bytes, then the merged tokens in the order
 * learned, and the last id is {@code <|endoftext|>}. Deterministic: the same texts give the same file.
 */
public final class BpeTrainer {
    /** The smallest vocabulary: the 256 bytes and end-of-text. */
    public static final int MIN_VOCAB_SIZE = MergeLearner.BYTES + 1;
    public static final int MAX_VOCAB_SIZE = 1 << 20;

    private final int vocabSize;
    private final int minFrequency;
    private final int threads;

    /**
     * @param vocabSize    largest vocabulary including end-of-text ({@code millrace.tokenizer.vocab-size});
     *                     fewer tokens result when no pair occurs {@code minFrequency} times any more
     * @param minFrequency a pair is merged only if it occurs at least this often
     * @param threads      threads that count words
     */
    public BpeTrainer(int vocabSize, int minFrequency, int threads) {
        if (vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabulary size must be within [" + MIN_VOCAB_SIZE + ", " + MAX_VOCAB_SIZE
                    + "] (256 bytes and end-of-text at least; got " + vocabSize + ")");
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minimum pair frequency must be >= 1 (got " + minFrequency + ")");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 (got " + threads + ")");
        }
        this.vocabSize = vocabSize;
        this.minFrequency = minFrequency;
        this.threads = threads;
    }

    /**
     * A trained tokenizer.
     *
     * @param json          the {@code tokenizer.json} text
     * @param vocabSize     ids it produces, end-of-text included
     * @param merges        merges learned
     * @param sampleBytes   UTF-8 bytes of the training texts
     * @param sampleTokens  tokens the training texts encode to
     * @param distinctWords distinct pre-tokenized words in them
     * @param countTime     time spent splitting and counting words
     * @param mergeTime     time spent learning merges
     */
    public record Trained(String json, int vocabSize, int merges, long sampleBytes, long sampleTokens, int distinctWords,
                          Duration countTime, Duration mergeTime) {
        /** Compression on the sample: tokens per UTF-8 byte (the byte tokenizer gives 1). */
        public double tokensPerByte() {
            return sampleBytes == 0 ? 0 : sampleTokens / (double) sampleBytes;
        }

        public Duration totalTime() {
            return countTime.plus(mergeTime);
        }

        /** Training throughput over the sample, MB (10^6 bytes) per second. */
        public double megabytesPerSecond() {
            double s = totalTime().toNanos() / 1e9;
            return s <= 0 ? 0 : sampleBytes / 1e6 / s;
        }
    }

    public Trained train(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to train the tokenizer on");
        }
        long t0 = System.nanoTime();
        WordCounts words = WordCounts.of(texts, threads);
        long t1 = System.nanoTime();
        MergeLearner.Learned learned = MergeLearner.learn(words, vocabSize - 1, minFrequency);
        String json = TokenizerJson.write(learned);
        long t2 = System.nanoTime();
        return new Trained(json, learned.tokens().size() + 1, learned.merges().size(), words.bytes(), learned.sampleTokens(),
                words.distinct(), Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
    }
}
