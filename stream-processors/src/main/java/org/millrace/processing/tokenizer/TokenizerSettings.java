package org.millrace.processing.tokenizer;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.millrace.common.Settings;

/**
 * The {@code millrace.tokenizer} block, read and checked once.
 *
 * @param kind            byte, bpe, r50k or cl100k
 * @param path            the {@code tokenizer.json} of kind bpe
 * @param vocabSize       vocabulary size of a BPE tokenizer trained here
 * @param sampleBytes     text {@code millrace tokenizer train} reads at most
 * @param runSampleBytes  text {@code millrace run} trains on when it finds no tokenizer
 * @param minFrequency    a pair is merged only if it occurs this often
 * @param threads         threads that split and count words
 */
public record TokenizerSettings(String kind, Path path, int vocabSize, long sampleBytes, long runSampleBytes,
                                int minFrequency, int threads) {
    public static final String PREFIX = "millrace.tokenizer.";
    public static final List<String> KINDS = List.of("byte", "bpe", "r50k", "cl100k");
    /** Where a trained tokenizer goes under the data directory. */
    public static final String DEFAULT_FILE = "tokenizer/tokenizer.json";

    public static TokenizerSettings fromConfig(Config c, Path dataDir) {
        String kind = Settings.oneOf(c, PREFIX + "kind", KINDS);
        String p = c.getString(PREFIX + "path");
        Path path = p.isBlank() ? dataDir.resolve(DEFAULT_FILE) : Path.of(p);
        int vocab = Settings.intInRange(c, PREFIX + "vocab-size", BpeTrainer.MIN_VOCAB_SIZE, BpeTrainer.MAX_VOCAB_SIZE);
        long sample = bytes(c, PREFIX + "train.sample-bytes");
        long runSample = bytes(c, PREFIX + "train.run-sample-bytes");
        int minFrequency = Settings.positiveInt(c, PREFIX + "train.min-frequency");
        int threads = Settings.nonNegativeInt(c, PREFIX + "train.threads");
        if (threads == 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        return new TokenizerSettings(kind, path.toAbsolutePath().normalize(), vocab, sample, runSample, minFrequency, threads);
    }

    private static long bytes(Config c, String key) {
        long v;
        try {
            v = c.getBytes(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw new Settings.SettingsException(key + ": " + e.getMessage(), e);
        }
        if (v < 1 || v > (1L << 31)) {
            throw Settings.invalid(c, key, v, "must be within [1 byte, 2 GiB] (the sample is held in memory)");
        }
        return v;
    }

    public BpeTrainer trainer(int vocabSizeOverride) {
        return new BpeTrainer(vocabSizeOverride, minFrequency, threads);
    }
}
