package org.millrace.processing.tokenizer.internal;

import java.util.function.Consumer;

/**
 * Splits text into the pieces BPE merges never cross, exactly as the GPT-2 pattern of Hugging Face's
 * {@code ByteLevel} pre-tokenizer ({@code use_regex = true}) does:
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 *
 * <p>Written as a scanner rather than with {@link java.util.regex.Pattern} because training runs it
 * over every byte of the sample and the scanner is several times faster; a test checks it against
 * the pattern on random text. {@code \s} is the Unicode White_Space property, as in the library.
 */
public final class GptPreTokenizer {
    private GptPreTokenizer() {
    }

    /** Calls {@code piece} with every piece of {@code text}, in order; the pieces concatenate to the text. */
    public static void split(String text, Consumer<String> piece) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            int end = pieceEnd(text, i, n);
            piece.accept(text.substring(i, end));
            i = end;
        }
    }

    /** End (exclusive) of the piece that starts at {@code i}. */
    static int pieceEnd(String s, int i, int n) {
        int c = s.codePointAt(i);
        if (c == '\'' && i + 1 < n) {
            int contraction = contractionEnd(s, i + 1, n);
            if (contraction > 0) {
                return contraction;
            }
        }
        int start = i;
        int cls;
        if (c == ' ' && i + 1 < n) {
            int next = s.codePointAt(i + 1);
            if (!isSpace(next)) {
                start = i + 1;
                c = next;
            }
        }
        if (isSpace(c)) {
            return whitespaceEnd(s, i, n);
        }
        cls = classOf(c);
        int j = start + Character.charCount(c);
        while (j < n) {
            int d = s.codePointAt(j);
            if (isSpace(d) || classOf(d) != cls) {
                break;
            }
            j += Character.charCount(d);
        }
        return j;
    }

    private static int contractionEnd(String s, int j, int n) {
        char a = s.charAt(j);
        if (a == 's' || a == 't' || a == 'm' || a == 'd') {
            return j + 1;
        }
        if (j + 1 < n) {
            char b = s.charAt(j + 1);
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
                return j + 2;
            }
        }
        return -1;
    }

    /**
     * {@code \s+(?!\S)|\s+}: a run of white space up to the end of the text is one piece; a run followed
     * by other text leaves its last character to start the next piece (a space there prefixes the word),
     * unless the run is that one character.
     */
    private static int whitespaceEnd(String s, int i, int n) {
        int j = i;
        int last = i;
        while (j < n) {
            int d = s.codePointAt(j);
            if (!isSpace(d)) {
                break;
            }
            last = j;
            j += Character.charCount(d);
        }
        if (j == n || last == i) {
            return j;
        }
        return last;
    }

    private static final int LETTER = 0;
    private static final int NUMBER = 1;
    private static final int OTHER = 2;

    private static int classOf(int c) {
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                return LETTER;
            }
            return c >= '0' && c <= '9' ? NUMBER : OTHER;
        }
        if (Character.isLetter(c)) {
            return LETTER;
        }
        int type = Character.getType(c);
        if (type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER) {
            return NUMBER;
        }
        return OTHER;
    }

    /** The Unicode White_Space property. */
    static boolean isSpace(int c) {
        if (c < 0x80) {
            return c == ' ' || (c >= 0x09 && c <= 0x0D);
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x3000;
    }
}
