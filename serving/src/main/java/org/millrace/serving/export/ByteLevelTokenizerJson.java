package org.millrace.serving.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Json;

/**
 * The Hugging Face {@code tokenizer.json} equivalent to {@link ByteTokenizer}: GPT-2's byte-level
 * pre-tokenizer (every UTF-8 byte shown as one printable character, without splitting on words), a
 * BPE model whose vocabulary is the 256 byte characters with id = byte value and no merges, so each
 * byte is one token, and {@code <|endoftext|>} as the special token 256.
 */
public final class ByteLevelTokenizerJson {
    public static final String END_OF_TEXT = "<|endoftext|>";

    private ByteLevelTokenizerJson() {
    }

    public static ObjectNode create() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens").addObject()
                .put("id", ByteTokenizer.END_OF_TEXT)
                .put("content", END_OF_TEXT)
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", false)
                .put("special", true);
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(true));
        root.set("post_processor", byteLevel(false));
        root.set("decoder", byteLevel(true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        char[] chars = bytesToUnicode();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(chars[b]), b);
        }
        model.putArray("merges");
        return root;
    }

    /**
     * GPT-2's {@code bytes_to_unicode}: printable Latin-1 bytes ({@code !}–{@code ~}, {@code ¡}–{@code ¬},
     * {@code ®}–{@code ÿ}) stand for themselves, the other 68 bytes for U+0100 onwards in byte order.
     */
    public static char[] bytesToUnicode() {
        char[] out = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = printable ? (char) b : (char) next++;
        }
        return out;
    }

    private static ObjectNode byteLevel(boolean trimOffsets) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", false);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", false);
        return n;
    }
}
