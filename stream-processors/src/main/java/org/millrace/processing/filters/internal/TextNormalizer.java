package org.millrace.processing.filters.internal;

import java.text.Normalizer;

/**
 * One pass over a text that removes control and invisible format characters, turns every line
 * break into {@code \n}, normalises whitespace, and ends in Unicode NFC. Prose and code differ in
 * whitespace only: prose has runs of spaces inside a line collapsed and at most one empty line in a
 * row; code keeps its spacing (indentation and alignment are its syntax) and loses only trailing
 * whitespace. Both keep leading indentation and lose leading and trailing empty lines.
 */
public final class TextNormalizer {
    /** U+FFFD, what a decoder writes for bytes that are not valid UTF-8. */
    public static final char REPLACEMENT = '\uFFFD';

    /**
     * Below U+0300 (the first combining mark) every character is its own NFC and composes with no
     * neighbour (Unicode's NFC quick check says Yes for each, with combining class 0; the JDK's
     * normaliser starts its checks there too), so text made only of them is in NFC already.
     */
    static final char NFC_BELOW = '\u0300';

    private TextNormalizer() {
    }

    /** Replacement characters and unpaired surrogates (invalid UTF-16, written as '?' on encoding). */
    public static int invalidCount(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == REPLACEMENT) {
                n++;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    n++;
                }
            } else if (Character.isLowSurrogate(c)) {
                n++;
            }
        }
        return n;
    }

    public static String normalize(String text, boolean code) {
        StringBuilder out = new StringBuilder(text.length());
        int newlines = 0; // consecutive line breaks written (empty lines + 1)
        boolean atLineStart = true;
        boolean spacePending = false;
        boolean belowNfcCheck = true; // no character from U+0300 on: NFC as it is
        int len = text.length();
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            // Printable ASCII, most chars, is no line break, removed char or blank: straight to the append.
            if (c <= ' ' || c >= 0x7F) {
                if (c == '\r' || c == '\n' || c == '\u000B' || c == '\f' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                    if (c == '\r' && i + 1 < len && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    trimTrailingBlanks(out);
                    spacePending = false;
                    atLineStart = true;
                    if (out.length() == 0 || (!code && newlines >= 2)) {
                        continue;
                    }
                    out.append('\n');
                    newlines++;
                    continue;
                }
                if (isRemoved(c, text, i)) {
                    continue;
                }
                boolean blank = c == ' ' || c == '\t' || Character.isSpaceChar(c);
                if (blank) {
                    if (atLineStart || code) {
                        out.append(c == '\t' ? '\t' : ' '); // indentation, or code's own spacing
                    } else {
                        spacePending = true;
                    }
                    continue;
                }
            }
            if (spacePending) {
                out.append(' ');
                spacePending = false;
            }
            atLineStart = false;
            newlines = 0;
            out.append(c);
            belowNfcCheck &= c < NFC_BELOW;
        }
        trimTrailingBlanks(out);
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '\n') {
            end--;
        }
        out.setLength(end);
        String s = out.toString();
        // The JDK's check allocates a buffer per call: most of this method's time on short documents.
        return belowNfcCheck || Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    private static void trimTrailingBlanks(StringBuilder out) {
        int n = out.length();
        while (n > 0 && (out.charAt(n - 1) == ' ' || out.charAt(n - 1) == '\t')) {
            n--;
        }
        out.setLength(n);
    }

    /**
     * Control characters (tab and line breaks aside), replacement characters, unpaired surrogates,
     * and invisible characters with no meaning in running text (byte-order mark, zero-width space,
     * soft hyphen, word joiner, non-characters). Zero-width (non-)joiners stay: emoji and several
     * scripts need them.
     */
    static boolean isRemoved(char c, String text, int i) {
        if (c < 0x20) {
            return c != '\t';
        }
        if (c >= 0x7F && c < 0xA0) {
            return true;
        }
        switch (c) {
            case REPLACEMENT, '\uFEFF', '\u200B', '\u00AD', '\u2060', '\uFFFE', '\uFFFF':
                return true;
            default:
                break;
        }
        if (Character.isHighSurrogate(c)) {
            return !(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)));
        }
        if (Character.isLowSurrogate(c)) {
            return !(i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
        }
        return false;
    }
}
