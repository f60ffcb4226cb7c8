package org.millrace.ops.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.millrace.processing.tokenizer.BpeTrainer;

/** Trains a BPE tokenizer on a sample and writes its {@code tokenizer.json} in one step (no half-written file). */
public final class TokenizerTraining {
    private TokenizerTraining() {
    }

    public static BpeTrainer.Trained trainAndWrite(BpeTrainer trainer, TextSample sample, Path output) {
        if (sample.texts().isEmpty()) {
            throw new IllegalArgumentException("no text to train the tokenizer on");
        }
        BpeTrainer.Trained trained = trainer.train(sample.texts());
        try {
            Path dir = output.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tokenizer", ".json.tmp");
            Files.writeString(tmp, trained.json(), StandardCharsets.UTF_8);
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer to " + output + ": " + e.getMessage(), e);
        }
        return trained;
    }

    /** One line about a training, e.g. for the terminal. */
    public static String describe(String name, BpeTrainer.Trained t, int documents) {
        return String.format("trained %s: %d tokens (%d merges) on %d documents, %.2f MB, %d distinct words, in %.1f s"
                        + " (%.2f MB/s); %.3f tokens per byte on the sample",
                name, t.vocabSize(), t.merges(), documents, t.sampleBytes() / 1e6, t.distinctWords(),
                t.totalTime().toNanos() / 1e9, t.megabytesPerSecond(), t.tokensPerByte());
    }
}
