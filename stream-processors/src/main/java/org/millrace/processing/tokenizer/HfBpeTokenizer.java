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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.millrace.common.Tokenizer;
import org.millrace.processing.tokenizer.internal.GptPreTokenizer;
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

    /** Distinct pieces cached (about 100 bytes each); the cache is emptied when it would grow past this. */
    private static final int CACHE_PIECES = 200_000;
    /** Longer pieces (runs of spaces or symbols) are encoded every time rather than cached. */
    private static final int CACHE_MAX_CHARS = 48;

    private final HuggingFaceTokenizer tokenizer;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();
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
        // The library's encode of a whole document spends most of its time on bookkeeping Millrace does not
        // use (offsets, alignments of every normalised byte, word ids), not on merges: measured 1.6 MB per
        // CPU second. Byte-level BPE never merges across the pre-tokenizer's pieces, and the pieces of a
        // piece are the piece itself, so a document's ids are the concatenation of its pieces' ids. The
        // pieces are split here (GptPreTokenizer: the same split as the library's ByteLevel regex, checked
        // by its test), and each distinct piece is encoded by the library once and then taken from a cache;
        // natural text repeats its words, so after a few documents almost every piece is a hit.
        List<String> pieces = new ArrayList<>(text.length() / 4 + 4);
        GptPreTokenizer.split(text, pieces::add);
        Map<String, int[]> fresh = null;
        List<String> missing = null;
        int[][] parts = new int[pieces.size()][]; // the cached ids, looked up once per piece
        for (int i = 0; i < parts.length; i++) {
            String piece = pieces.get(i);
            parts[i] = cache.get(piece);
            if (parts[i] == null && (fresh == null || !fresh.containsKey(piece))) {
                if (fresh == null) {
                    fresh = new HashMap<>();
                    missing = new ArrayList<>();
                }
                fresh.put(piece, null);
                missing.add(piece);
            }
        }
        if (missing != null) {
            encodeMissing(missing, fresh);
        }
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                parts[i] = fresh.get(pieces.get(i)); // missed above: encoded by encodeMissing
            }
            total += parts[i].length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] ids : parts) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
        }
        return out;
    }

    /** Encodes the pieces in one call of the library, into {@code into} and the cache. */
    private void encodeMissing(List<String> missing, Map<String, int[]> into) {
        long[] encodings = TokenizersLibrary.LIB.batchEncode(tokenizer.getHandle(), missing.toArray(new String[0]), false);
        try {
            if (cache.size() + missing.size() > CACHE_PIECES) {
                cache.clear(); // bounded memory; the next documents refill it with what they use
            }
            for (int i = 0; i < encodings.length; i++) {
                int[] ids = toInts(TokenizersLibrary.LIB.getTokenIds(encodings[i]));
                String piece = missing.get(i);
                into.put(piece, ids);
                if (piece.length() <= CACHE_MAX_CHARS) {
                    cache.put(piece, ids);
                }
            }
        } finally {
            for (long e : encodings) {
                TokenizersLibrary.LIB.deleteEncoding(e);
            }
        }
    }

    /**
     * The library's encoding of the whole text in one call, without the piece cache: what {@link #encode}
     * must equal (tests compare the two), and the baseline its benchmark measures against. Unlike
     * {@link #encode}, it reads a literal {@code <|endoftext|>} in the text as the separator token.
     */
    public int[] encodeWhole(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        // Straight through DJL's JNI layer: HuggingFaceTokenizer.encode also copies out tokens, type ids,
        // masks and character spans for every call, which halves throughput; ids are all that is needed.
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        try {
            return toInts(TokenizersLibrary.LIB.getTokenIds(encoding));
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
    }

    private static int[] toInts(long[] ids) {
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
