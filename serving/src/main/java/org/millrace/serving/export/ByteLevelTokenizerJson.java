package org.millrace.serving.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.millrace.common.ByteLevelBpeJson;
import org.millrace.common.ByteTokenizer;

/**
 * The Hugging Face {@code tokenizer.json} equivalent to {@link ByteTokenizer}: the byte-level pre-tokenizer
 * without splitting on words, a BPE model whose vocabulary is the 256 byte characters with id = byte value and no
 * merges, so each byte is one token, and {@code <|endoftext|>} as the special token 256.
 */
public final class ByteLevelTokenizerJson {
    public static final String END_OF_TEXT = ByteLevelBpeJson.END_OF_TEXT;

    private ByteLevelTokenizerJson() {
    }

    public static ObjectNode create() {
        ObjectNode root = ByteLevelBpeJson.skeleton(ByteTokenizer.END_OF_TEXT, false);
        ObjectNode vocab = (ObjectNode) root.path("model").path("vocab");
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(ByteLevelBpeJson.charOf(b)), b);
        }
        return root;
    }
}
