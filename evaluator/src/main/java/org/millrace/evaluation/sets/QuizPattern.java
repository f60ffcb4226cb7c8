package org.millrace.evaluation.sets;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer patterns of bsdgames quiz files: {@code a|b} alternatives, {@code {x}} optional parts,
 * {@code [a|b]} grouped alternatives, {@code \x} a literal character. The canonical form takes the first
 * alternative of every choice and includes every optional part, e.g. {@code {G{eorge} }Washington} →
 * "George Washington", {@code W[illia|]m [I|1|the Conqueror]} → "William I". Hand-written: the format
 * is bsdgames' own.
 */
final class QuizPattern {
    private final String s;
    private int pos;

    private QuizPattern(String s) {
        this.s = s;
    }

    /** The canonical answer. */
    static String canonical(String pattern) {
        List<String> alts = alternatives(pattern);
        return alts.isEmpty() ? "" : alts.get(0);
    }

    /** The canonical form of each top-level alternative. */
    static List<String> alternatives(String pattern) {
        QuizPattern p = new QuizPattern(pattern);
        List<String> out = new ArrayList<>();
        for (String a : p.expr()) {
            String t = a.strip().replaceAll("\\s+", " ");
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** expr := alt ('|' alt)* — the canonical form of each alternative. */
    private List<String> expr() {
        List<String> alts = new ArrayList<>();
        alts.add(alt());
        while (pos < s.length() && s.charAt(pos) == '|') {
            pos++;
            alts.add(alt());
        }
        return alts;
    }

    private String alt() {
        StringBuilder out = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '|' || c == '}' || c == ']') {
                break;
            }
            pos++;
            if (c == '\\' && pos < s.length()) {
                out.append(s.charAt(pos++));
            } else if (c == '{' || c == '[') {
                char close = c == '{' ? '}' : ']';
                List<String> inner = expr();
                if (pos < s.length() && s.charAt(pos) == close) {
                    pos++;
                }
                out.append(inner.get(0));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
