package org.millrace.processing.filters.internal;

/**
 * Splits text into word tokens the way the Gopher and C4 rules count them (datatrove runs NLTK's
 * Treebank-style word tokenizer): words are runs of letters, marks, digits and connectors, with
 * inner apostrophes, hyphens and dots ("don't", "e-mail", "3.14"); every run of other non-space
 * characters is one punctuation token ("...", ",", "#"). Tokens are visited as index ranges, so that
 * the filters count without copying the text.
 */
public final class Words {
    private Words() {
    }

    /** Receives each token of a text as the range {@code [start, end)}. */
    @FunctionalInterface
    public interface Visitor {
        void token(int start, int end, boolean word);
    }

    public static void forEach(String text, Visitor visitor) {
        int len = text.length();
        int i = 0;
        while (i < len) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                i++;
                continue;
            }
            int start = i;
            boolean word = isWordChar(c);
            i++;
            if (word) {
                while (i < len) {
                    char d = text.charAt(i);
                    if (isWordChar(d)) {
                        i++;
                    } else if (isInner(d) && i + 1 < len && isWordChar(text.charAt(i + 1))) {
                        i += 2;
                    } else {
                        break;
                    }
                }
            } else {
                while (i < len && !isWordChar(text.charAt(i)) && !isSpace(text.charAt(i))) {
                    i++;
                }
            }
            visitor.token(start, i, word);
        }
    }

    /** Whether {@code text[start, end)} has a letter. */
    public static boolean hasLetter(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (Character.isLetter(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean isWordChar(char c) {
        if (c < 128) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
        return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || (c > 127 && (Character.isWhitespace(c) || Character.isSpaceChar(c)))
                || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isInner(char c) {
        return c == '\'' || c == '\u2019' || c == '-' || c == '.';
    }
}
