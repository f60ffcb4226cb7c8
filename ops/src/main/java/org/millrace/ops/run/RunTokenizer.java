package org.millrace.ops.run;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;
import org.millrace.common.Document;
import org.millrace.common.Tokenizer;
import org.millrace.ops.tokenizer.TextSample;
import org.millrace.ops.tokenizer.TokenizerTraining;
import org.millrace.processing.tokenizer.BpeTrainer;
import org.millrace.processing.tokenizer.TokenizerSettings;
import org.millrace.processing.tokenizer.Tokenizers;

/**
 * The tokenizer of a run: the one {@code millrace.tokenizer} selects, and for kind bpe, one trained on
 * the run's own documents the first time (up to {@code train.run-sample-bytes} of them, vocabulary
 * {@code millrace.tokenizer.vocab-size}), then reused on every later run of the same data directory.
 */
public final class RunTokenizer {
    private RunTokenizer() {
    }

    /**
     * @param documents the documents the run feeds, in a stable order (the sample is their start)
     */
    public static Tokenizer obtain(Config config, Path dataDir, List<Document> documents, ProgressLine progress) {
        return obtain(config, dataDir, bytes -> TextSample.take(documents.stream().map(Document::text).iterator(), bytes), progress);
    }

    /**
     * @param sampler text of the documents the run feeds, up to a number of bytes (asked for only when a
     *               tokenizer is to be trained)
     */
    public static Tokenizer obtain(Config config, Path dataDir, LongFunction<TextSample> sampler, ProgressLine progress) {
        TokenizerSettings settings = TokenizerSettings.fromConfig(config, dataDir);
        if (settings.kind().equals("bpe") && !Files.exists(settings.path())) {
            TextSample sample = sampler.apply(settings.runSampleBytes());
            if (sample.texts().isEmpty()) {
                throw new IllegalStateException("no documents to train the tokenizer on");
            }
            BpeTrainer.Trained trained = TokenizerTraining.trainAndWrite(settings.trainer(settings.vocabSize()), sample, settings.path());
            Tokenizer tokenizer = Tokenizers.of(settings, config);
            progress.println(TokenizerTraining.describe(tokenizer.name(), trained, sample.documents()) + " → " + settings.path());
            return tokenizer;
        }
        Tokenizer tokenizer = Tokenizers.of(settings, config);
        progress.println("tokenizer " + tokenizer.name() + " (" + tokenizer.vocabSize() + " ids)"
                + (settings.kind().equals("bpe") ? " from " + settings.path() : ""));
        return tokenizer;
    }
}
