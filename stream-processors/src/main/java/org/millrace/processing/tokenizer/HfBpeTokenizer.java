package org.millrace.processing.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.millrace.common.Tokenizer;
import org.millrace.processing.tokenizer.internal.TokenizerJson;

/**
 * A byte-level BPE tokenizer from a Hugging Face {@code tokenizer.json}, encoded and decoded by the
 * tokenizers library through DJL. Its name carries the vocabulary size and the start of the file's
 * SHA-256 ({@code bpe-8192-3f2a91}), so that batches and checkpoints made with another vocabulary are
 * recognised. Thread-safe (the library's tokenizer is).
 *
 * <p>The text {@code <|endoftext|>} inside a document is encoded as ordinary text, never as the
 * separator id: only the packer puts end-of-text between documents.
 */
public final class HfBpeTokenizer implements Tokenizer, AutoCloseable {
    private static final String EOT_TEXT = TokenizerJson.END_OF_TEXT;
    // Encoded in two parts, neither of which is the added token.
    private static final String EOT_HEAD = EOT_TEXT.substring(0, EOT_TEXT.length() - 2);
    private static final String EOT_TAIL = EOT_TEXT.substring(EOT_TEXT.length() - 2);

    private final HuggingFaceTokenizer tokenizer;
    private final String name;
    private final int vocabSize;
    private final int endOfText;

    private HfBpeTokenizer(HuggingFaceTokenizer tokenizer, String name, int vocabSize, int endOfText) {
        this.tokenizer = tokenizer;
        this.name = name;
        this.vocabSize = vocabSize;
        this.endOfText = endOfText;
    }

    /** Loads a {@code tokenizer.json}. */
    public static HfBpeTokenizer load(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer " + file + ": " + e.getMessage(), e);
        }
        return fromJson(json, file.toString());
    }

    /** Loads the text of a {@code tokenizer.json}; {@code where} names it in errors. */
    public static HfBpeTokenizer fromJson(byte[] json, String where) {
        TokenizerJson.Facts facts = TokenizerJson.facts(json, where);
        HuggingFaceTokenizer hf;
        try {
            // DJL truncates to 512 tokens unless told otherwise; documents are encoded whole
            hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the tokenizers library cannot load " + where + ": " + e.getMessage(), e);
        }
        return new HfBpeTokenizer(hf, "bpe-" + facts.vocabSize() + "-" + shortHash(json), facts.vocabSize(), facts.endOfText());
    }

    static String shortHash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int endOfText() {
        return endOfText;
    }

    @Override
    public int[] encode(String text) {
        int at = text.indexOf(EOT_TEXT);
        if (at < 0) {
            return ids(text);
        }
        // rare: a document that quotes the separator; encode around each occurrence
        IntArray out = new IntArray(text.length() / 3 + 8);
        int from = 0;
        while (at >= 0) {
            out.addAll(ids(text.substring(from, at)));
            out.addAll(ids(EOT_HEAD));
            out.addAll(ids(EOT_TAIL));
            from = at + EOT_TEXT.length();
            at = text.indexOf(EOT_TEXT, from);
        }
        out.addAll(ids(text.substring(from)));
        return out.toArray();
    }

    private int[] ids(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        // Straight through DJL's JNI layer: HuggingFaceTokenizer.encode also copies out tokens, type ids,
        // masks and character spans for every call, which halves throughput; ids are all that is needed.
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        long[] ids;
        try {
            ids = TokenizersLibrary.LIB.getTokenIds(encoding);
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** The text of the ids; end-of-text and ids outside the vocabulary are left out. */
    @Override
    public String decode(int[] ids) {
        long[] keep = new long[ids.length];
        int n = 0;
        for (int id : ids) {
            if (id >= 0 && id < vocabSize && id != endOfText) {
                keep[n++] = id;
            }
        }
        if (n == 0) {
            return "";
        }
        return tokenizer.decode(n == keep.length ? keep : java.util.Arrays.copyOf(keep, n), false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Growable int array for the rare multi-part encode. */
    private static final class IntArray {
        private int[] items;
        private int size;

        IntArray(int capacity) {
            items = new int[capacity];
        }

        void addAll(int[] more) {
            if (size + more.length > items.length) {
                items = java.util.Arrays.copyOf(items, Math.max(items.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, items, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(items, size);
        }
    }
}
