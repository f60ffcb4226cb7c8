package org.millrace.processing;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Text reduced to what duplicates share, as datatrove's {@code simplify_text} does before hashing:
 * Unicode compatibility decomposition with diacritics removed, lower case, every digit as {@code 0},
 * and everything that is not a letter or a digit as a single space between words. Kept as UTF-8 with
 * each word's byte range, so that word n-grams are contiguous byte ranges and hash without copying.
 */
public final class NormalizedText {
    private static final int SEED = 0x6d696c6c; // fixed: hashes are stored on disk and must not change
    private final byte[] utf8;
    private final int[] wordStart;
    private final int[] wordEnd;
    private final int words;

    private NormalizedText(byte[] utf8, int[] wordStart, int[] wordEnd, int words) {
        this.utf8 = utf8;
        this.wordStart = wordStart;
        this.wordEnd = wordEnd;
        this.words = words;
    }

    public static NormalizedText of(String text) {
        String decomposed = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean inWord = false;
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK) {
                continue; // a diacritic of the letter before it
            }
            if (Character.isLetter(cp)) {
                if (!inWord && out.length() > 0) {
                    out.append(' ');
                }
                out.appendCodePoint(Character.toLowerCase(cp));
                inWord = true;
            } else if (Character.isDigit(cp)) {
                if (!inWord && out.length() > 0) {
                    out.append(' ');
                }
                out.append('0');
                inWord = true;
            } else {
                inWord = false;
            }
        }
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        int[] starts = new int[16];
        int[] ends = new int[16];
        int n = 0;
        int at = 0;
        while (at < bytes.length) {
            int end = at;
            while (end < bytes.length && bytes[end] != ' ') {
                end++;
            }
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            starts[n] = at;
            ends[n] = end;
            n++;
            at = end + 1;
        }
        return new NormalizedText(bytes, starts, ends, n);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Number of words. */
    public int words() {
        return words;
    }

    public boolean isEmpty() {
        return words == 0;
    }

    /** 64-bit hash of the whole normalised text (the exact-duplicate key). */
    public long hash64() {
        return MurmurHash3.hash128x64(utf8, 0, utf8.length, SEED)[0];
    }

    /** 64-bit hash of words {@code [from, to)} joined by single spaces. */
    public long hashWords(int from, int to) {
        if (from < 0 || to > words || from >= to) {
            throw new IndexOutOfBoundsException("words [" + from + ", " + to + ") of " + words);
        }
        int start = wordStart[from];
        return MurmurHash3.hash128x64(utf8, start, wordEnd[to - 1] - start, SEED)[0];
    }

    /** The normalised text itself (for tests and diagnostics). */
    @Override
    public String toString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Word {@code i}, for diagnostics. */
    public String word(int i) {
        return new String(utf8, wordStart[i], wordEnd[i] - wordStart[i], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }
}
