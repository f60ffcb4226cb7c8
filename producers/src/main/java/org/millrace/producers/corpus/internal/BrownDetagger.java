package org.millrace.producers.corpus.internal;

import java.util.Set;

/**
 * Turns a Brown Corpus file ({@code word/tag} tokens, one sentence a line, a tab opening each
 * paragraph) back into running text: tags stripped, {@code ``} and {@code ''} made quotes,
 * punctuation attached. Hand-written: the format is the Brown Corpus's own.
 */
public final class BrownDetagger {
    private static final Set<String> ATTACH_LEFT = Set.of(".", ",", ";", ":", "?", "!", ")", "''", "'");
    private static final Set<String> ATTACH_RIGHT = Set.of("``", "`", "(");

    private BrownDetagger() {
    }

    public static String detag(String tagged) {
        StringBuilder out = new StringBuilder(tagged.length() * 2 / 3);
        StringBuilder paragraph = new StringBuilder();
        for (String line : tagged.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("\t") && paragraph.length() > 0) {
                flush(out, paragraph);
            }
            if (paragraph.length() > 0) {
                paragraph.append(' ');
            }
            sentence(line.strip(), paragraph);
        }
        flush(out, paragraph);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder paragraph) {
        if (paragraph.length() == 0) {
            return;
        }
        if (out.length() > 0) {
            out.append("\n\n");
        }
        out.append(paragraph);
        paragraph.setLength(0);
    }

    private static void sentence(String line, StringBuilder sb) {
        boolean glueNext = true; // no space before the first word
        for (String token : line.split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int slash = token.lastIndexOf('/');
            String word = slash > 0 ? token.substring(0, slash) : token;
            if (word.equals(".") && sb.length() > 0 && sb.charAt(sb.length() - 1) == '.') {
                continue; // "Jr./np ./." ends a sentence with the abbreviation's own period
            }
            if (ATTACH_LEFT.contains(word)) {
                sb.append(word.equals("''") ? "\"" : word);
                glueNext = false;
            } else if (ATTACH_RIGHT.contains(word)) {
                if (!glueNext) {
                    sb.append(' ');
                }
                sb.append(word.equals("``") ? "\"" : word.equals("`") ? "'" : word);
                glueNext = true;
            } else {
                if (!glueNext) {
                    sb.append(' ');
                }
                sb.append(word);
                glueNext = false;
            }
        }
    }
}
