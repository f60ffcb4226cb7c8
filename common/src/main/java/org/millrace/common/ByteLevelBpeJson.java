package org.millrace.common;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shape of a Hugging Face {@code tokenizer.json} for a byte-level BPE, as the tokenizers library saves GPT-2's,
 * and the byte-level alphabet its vocabulary is written in. Two tokenizers of Millrace are written this way: the
 * trained BPE ({@code stream-processors}) and the plain byte tokenizer exported with a model ({@code serving}).
 *
 * <p>The alphabet: each of the 256 byte values is shown as one printable character (GPT-2's
 * {@code bytes_to_unicode}). Printable Latin-1 bytes stand for themselves; the others (controls, space, soft
 * hyphen...) are mapped in order to U+0100 and up (space becomes 'Ġ').
 */
public final class ByteLevelBpeJson {
    public static final String END_OF_TEXT = "<|endoftext|>";
    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) next++;
        }
    }

    private ByteLevelBpeJson() {
    }

    /** The character that stands for a byte. */
    public static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** A byte sequence in the byte-level alphabet. */
    public static String toChars(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /**
     * Everything but the vocabulary: no normalizer, the {@code ByteLevel} pre-tokenizer (no prefix space), post-processor
     * and decoder, a {@code BPE} model without unknown token, and {@code <|endoftext|>} as the added special token
     * {@code endOfText}. The caller fills {@code model.vocab} (an empty object) and {@code model.merges} (an empty array).
     *
     * @param splitOnWords whether the pre-tokenizer splits on GPT-2's word pattern before the byte-level BPE
     */
    public static ObjectNode skeleton(int endOfText, boolean splitOnWords) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens").addObject()
                .put("id", endOfText)
                .put("content", END_OF_TEXT)
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", false)
                .put("special", true);
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false, true, splitOnWords));
        root.set("post_processor", byteLevel(true, false, splitOnWords));
        root.set("decoder", byteLevel(true, true, splitOnWords));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.putObject("vocab");
        model.putArray("merges");
        return root;
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", addPrefixSpace);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", useRegex);
        return n;
    }
}
