package org.millrace.common.evalsets;

import java.util.ArrayList;
import java.util.List;

/**
 * Word n-grams as decontamination compares them (phi-4, lm-evaluation-harness, datatrove): text is cut
 * into words — maximal runs of letters and digits, lower-cased, everything else a separator — and each
 * n-gram of consecutive words is reduced to a 64-bit hash. The set construction (allow-list) and the
 * curation filter both use this class, so their n-grams agree bit for bit.
 *
 * <p>Hand-written because the hashing is the project's own contract: FNV-1a over each word's lower-cased
 * UTF-16 code units, a polynomial rolling combination of word hashes, then the MurmurHash3 64-bit
 * finaliser to spread the bits.
 */
public final class NGrams {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** Odd multiplier of the rolling combination. */
    private static final long ROLL = 0x9E3779B97F4A7C15L;

    private NGrams() {
    }

    /** The words of {@code text}, normalised (for allow-list files and messages). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                w.appendCodePoint(Character.toLowerCase(cp));
            } else if (w.length() > 0) {
                out.add(w.toString());
                w.setLength(0);
            }
        }
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    /** The word hashes of {@code text}, one per word, without building strings. */
    public static long[] wordHashes(String text) {
        long[] out = new long[Math.max(16, text.length() / 5)];
        int n = 0;
        long h = FNV_OFFSET;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            boolean letterOrDigit;
            int lower;
            if (c < 0x80) { // ASCII, most text: the same answers without the code point and Unicode table look-ups
                i++;
                boolean upper = c >= 'A' && c <= 'Z';
                letterOrDigit = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                lower = upper ? c + ('a' - 'A') : c;
            } else {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                letterOrDigit = Character.isLetterOrDigit(cp);
                lower = letterOrDigit ? Character.toLowerCase(cp) : cp;
            }
            if (letterOrDigit) {
                if (Character.isBmpCodePoint(lower)) {
                    h = (h ^ lower) * FNV_PRIME;
                } else {
                    h = (h ^ Character.highSurrogate(lower)) * FNV_PRIME;
                    h = (h ^ Character.lowSurrogate(lower)) * FNV_PRIME;
                }
                inWord = true;
            } else if (inWord) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = h;
                h = FNV_OFFSET;
                inWord = false;
            }
        }
        if (inWord) {
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n + 1);
            }
            out[n++] = h;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * The hash of every n-gram of consecutive words: entry i covers words i .. i+n-1. Empty when there
     * are fewer than n words.
     */
    public static long[] ngramHashes(long[] wordHashes, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n-gram length must be >= 1 (got " + n + ")");
        }
        int count = wordHashes.length - n + 1;
        if (count <= 0) {
            return new long[0];
        }
        long top = 1; // ROLL^(n-1)
        for (int i = 1; i < n; i++) {
            top *= ROLL;
        }
        long[] out = new long[count];
        long rolling = 0;
        for (int i = 0; i < n; i++) {
            rolling = rolling * ROLL + wordHashes[i];
        }
        out[0] = mix(rolling ^ n);
        for (int i = 1; i < count; i++) {
            rolling = (rolling - wordHashes[i - 1] * top) * ROLL + wordHashes[i + n - 1];
            out[i] = mix(rolling ^ n);
        }
        return out;
    }

    /** The n-gram hashes of a text. */
    public static long[] ngramHashes(String text, int n) {
        return ngramHashes(wordHashes(text), n);
    }

    /** MurmurHash3's 64-bit finaliser. */
    static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
