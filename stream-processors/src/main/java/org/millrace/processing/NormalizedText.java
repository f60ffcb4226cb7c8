package org.millrace.processing;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.codec.digest.MurmurHash3;
import org.millrace.processing.internal.Murmur3;

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

    /** The whole text, normalised. */
    public static NormalizedText of(String text) {
        return build(text, Integer.MAX_VALUE);
    }

    /**
     * The whole text, normalised, shared with the last caller on this thread that asked for the same
     * String instance: the filters of one document run one after the other on one thread, and dedup
     * and the classifier both need the words of the same text. Holds one text per thread.
     */
    public static NormalizedText shared(String text) {
        LastText last = LAST.get();
        if (last.text != text) {
            last.normalized = of(text);
            last.text = text;
        }
        return last.normalized;
    }

    /**
     * At least the first {@code maxWords} words of the text (all of it if it has fewer), exactly as
     * {@link #of} gives them, without normalising the rest of a long text: the normalisation of a
     * prefix cut at a blank is the prefix of the normalisation (blanks separate words, and NFKD
     * reorders only within runs of combining marks, which never include a blank).
     */
    public static NormalizedText prefix(String text, int maxWords) {
        LastText last = LAST.get();
        if (last.text == text) {
            return last.normalized;
        }
        long budget = (long) maxWords * PREFIX_CHARS_PER_WORD;
        if (text.length() > budget) {
            int cut = blankAtOrAfter(text, (int) budget);
            if (cut > 0) {
                NormalizedText t = build(text.substring(0, cut), maxWords);
                if (t.words >= maxWords) {
                    return t;
                }
            }
        }
        return build(text, maxWords);
    }

    private static final int PREFIX_CHARS_PER_WORD = 12;
    private static final ThreadLocal<LastText> LAST = ThreadLocal.withInitial(LastText::new);

    private static final class LastText {
        String text;
        NormalizedText normalized;
    }

    private static int blankAtOrAfter(String text, int from) {
        int limit = Math.min(text.length(), from + 1024);
        for (int i = from; i < limit; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Decomposes (NFKD, unless ASCII), then writes letters lower-cased and digits as 0 straight into
     * UTF-8, words separated by one space, recording each word's byte range as it goes; stops before
     * word {@code maxWords + 1}. The ASCII cases are decided inline (for ASCII, getType has no marks,
     * isLetter is A–Z/a–z and isDigit is 0–9), the rest by the Character tables.
     */
    private static NormalizedText build(String text, int maxWords) {
        String s = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKD);
        byte[] out = new byte[Math.min(s.length(), 1 << 20) + 16];
        int len = 0;
        int[] starts = new int[16];
        int[] ends = new int[16];
        int n = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.charAt(i);
            int lower;
            if (cp < 0x80) {
                i++;
                if (cp >= 'a' && cp <= 'z') {
                    lower = cp;
                } else if (cp >= 'A' && cp <= 'Z') {
                    lower = cp + ('a' - 'A');
                } else if (cp >= '0' && cp <= '9') {
                    lower = '0';
                } else {
                    inWord = false;
                    continue;
                }
            } else {
                cp = s.codePointAt(i);
                i += Character.charCount(cp);
                int type = Character.getType(cp);
                if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                        || type == Character.COMBINING_SPACING_MARK) {
                    continue; // a diacritic of the letter before it
                }
                if (Character.isLetter(cp)) {
                    lower = Character.toLowerCase(cp);
                } else if (Character.isDigit(cp)) {
                    lower = '0';
                } else {
                    inWord = false;
                    continue;
                }
            }
            if (!inWord) {
                if (n == maxWords) {
                    break;
                }
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                    ends = Arrays.copyOf(ends, n * 2);
                }
                if (n > 0) {
                    out[len++] = ' ';
                }
                starts[n++] = len;
                inWord = true;
            }
            if (len + 5 > out.length) {
                out = Arrays.copyOf(out, out.length * 2 + 16);
            }
            len = putUtf8(out, len, lower);
            ends[n - 1] = len;
        }
        return new NormalizedText(len == out.length ? out : Arrays.copyOf(out, len), starts, ends, n);
    }

    /** Writes a code point (never a surrogate: only letters and '0' come here) as UTF-8; returns the new length. */
    private static int putUtf8(byte[] out, int at, int cp) {
        if (cp < 0x80) {
            out[at++] = (byte) cp;
        } else if (cp < 0x800) {
            out[at++] = (byte) (0xC0 | (cp >> 6));
            out[at++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[at++] = (byte) (0xE0 | (cp >> 12));
            out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[at++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            out[at++] = (byte) (0xF0 | (cp >> 18));
            out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[at++] = (byte) (0x80 | (cp & 0x3F));
        }
        return at;
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
        return Murmur3.hash64(utf8, start, wordEnd[to - 1] - start, SEED);
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
