package org.millrace.processing.filters;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.filters.internal.FilterSettings;

/**
 * The C4 line rules (Raffel et al. 2020) as datatrove's C4QualityFilter applies them, with its
 * defaults. Line by line, in this order: a line with a word over {@code max-word-length} goes;
 * citation marks ("[1]", "[edit]", "[citation needed]") are cut; a line that does not end in
 * terminal punctuation (or ends in an ellipsis) goes; a line of fewer than {@code min-words-per-line}
 * words goes; "lorem ipsum" drops the whole document; a line mentioning javascript goes; a curly
 * bracket drops the whole document; a line with a policy phrase ("terms of use", "privacy policy",
 * "uses cookies"...) goes. A document left with fewer than {@code min-sentences} sentences is
 * dropped. The kept lines are the new text; unlike datatrove, which joins them with single line
 * breaks, an empty line between kept lines stays, so paragraphs survive.
 */
public final class C4LinesFilter implements DocumentFilter {
    public static final String NAME = "c4-lines";
    private static final Pattern CITATION = Pattern.compile("\\[\\d*]|\\[edit]|\\[citation needed]");
    private static final List<String> POLICY = List.of("terms of use", "privacy policy", "cookie policy", "uses cookies",
            "use of cookies", "use cookies");

    /** Rules, named as in {@code millrace.curation.c4-lines}. */
    public record Rules(boolean dropLinesWithoutTerminalPunctuation, int minWordsPerLine, int maxWordLength,
                        int minSentences, boolean dropJavascriptLines, boolean dropLoremIpsum, boolean dropCurlyBracket,
                        boolean dropPolicyLines, boolean removeCitations) {
    }

    private final Rules r;
    private final Set<DocumentKind> kinds;

    public C4LinesFilter(Rules rules, Set<DocumentKind> kinds) {
        this.r = rules;
        this.kinds = Set.copyOf(kinds);
    }

    public static C4LinesFilter fromConfig(Config config) {
        FilterSettings s = new FilterSettings(config, NAME);
        return new C4LinesFilter(new Rules(s.flag("drop-lines-without-terminal-punctuation"),
                s.nonNegativeInt("min-words-per-line"), s.positiveInt("max-word-length"), s.nonNegativeInt("min-sentences"),
                s.flag("drop-javascript-lines"), s.flag("drop-lorem-ipsum"), s.flag("drop-curly-bracket"),
                s.flag("drop-policy-lines"), s.flag("remove-citations")), s.kinds());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        if (!kinds.contains(document.kind())) {
            return Verdict.keep(document);
        }
        String text = document.text();
        StringBuilder out = new StringBuilder(text.length());
        int sentences = 0;
        boolean emptyLineSinceKept = false;
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                emptyLineSinceKept = true;
                continue;
            }
            String[] words = line.split("\\s+");
            if (hasLongWord(words)) {
                continue;
            }
            if (r.removeCitations() && line.indexOf('[') >= 0) {
                line = CITATION.matcher(line).replaceAll("");
            }
            if (r.dropLinesWithoutTerminalPunctuation() && (!endsWithTerminal(line) || line.endsWith("..."))) {
                continue;
            }
            if (words.length < r.minWordsPerLine()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (r.dropLoremIpsum() && lower.contains("lorem ipsum")) {
                return new Verdict.Drop("lorem_ipsum", "a line contains \"lorem ipsum\"", Double.NaN);
            }
            if (r.dropJavascriptLines() && lower.contains("javascript")) {
                continue;
            }
            if (r.dropCurlyBracket() && line.indexOf('{') >= 0) {
                return new Verdict.Drop("curly_bracket", "a line contains '{' (code or templates, as C4 judges)", Double.NaN);
            }
            if (r.dropPolicyLines() && POLICY.stream().anyMatch(lower::contains)) {
                continue;
            }
            sentences += sentences(line);
            if (out.length() > 0) {
                out.append(emptyLineSinceKept ? "\n\n" : "\n");
            }
            out.append(line);
            emptyLineSinceKept = false;
        }
        if (sentences < r.minSentences()) {
            return new Verdict.Drop("too_few_sentences", sentences + " sentences left, fewer than millrace.curation."
                    + NAME + ".min-sentences = " + r.minSentences(), sentences);
        }
        String kept = out.toString();
        if (kept.equals(text)) {
            return Verdict.keep(document);
        }
        return new Verdict.Keep(document.withText(kept), true, kept.length() / (double) Math.max(1, text.length()));
    }

    private boolean hasLongWord(String[] words) {
        for (String w : words) {
            if (w.length() > r.maxWordLength()) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithTerminal(String line) {
        if (line.isEmpty()) {
            return false;
        }
        char last = line.charAt(line.length() - 1);
        return last == '.' || last == '?' || last == '!' || last == '"' || last == '\'';
    }

    /** Sentence ends in a line: runs of '.', '!' or '?' followed by a space or the line's end; at least one. */
    static int sentences(String line) {
        int n = 0;
        int len = line.length();
        for (int i = 0; i < len; i++) {
            char c = line.charAt(i);
            if (c == '.' || c == '!' || c == '?') {
                while (i + 1 < len && (line.charAt(i + 1) == '.' || line.charAt(i + 1) == '!' || line.charAt(i + 1) == '?'
                        || line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\'' || line.charAt(i + 1) == ')')) {
                    i++;
                }
                if (i + 1 == len || Character.isWhitespace(line.charAt(i + 1))) {
                    n++;
                }
            }
        }
        return Math.max(1, n);
    }
}
