package org.millrace.serving;

import java.nio.file.Path;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Tokenizer;

/**
 * Finds the tokenizer a checkpoint was trained with, by the name its manifest records. Serving codes
 * against {@link Tokenizer} only; a tokenizer with files of its own (a BPE vocabulary) is found by a
 * loader that knows where they live, passed to {@link ServedModel#open}.
 */
@FunctionalInterface
public interface TokenizerLoader {

    /**
     * @param name       the tokenizer name of the checkpoint's manifest
     * @param checkpoint the checkpoint directory (a loader may read files next to the parameters)
     * @throws IllegalStateException if this loader does not know the tokenizer
     */
    Tokenizer load(String name, Path checkpoint);

    /** The tokenizers of {@code common} that need no files: {@code byte-v1}. */
    static TokenizerLoader builtIn() {
        return (name, checkpoint) -> {
            if (ByteTokenizer.NAME.equals(name)) {
                return new ByteTokenizer();
            }
            throw new IllegalStateException("checkpoint " + checkpoint + " was trained with tokenizer '" + name
                    + "', which this server cannot load (it knows " + ByteTokenizer.NAME + ")");
        };
    }
}
