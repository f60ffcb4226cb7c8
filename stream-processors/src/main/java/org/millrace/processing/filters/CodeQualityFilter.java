package org.millrace.processing.filters;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.filters.internal.DocumentTypes;
import org.millrace.processing.filters.internal.FilterSettings;

/**
 * The rules code gets instead of the prose heuristics, as the Codex, CodeParrot and StarCoder
 * pipelines filter source files: no line longer than {@code max-line-length} (minified or
 * generated data), a mean line length of at most {@code max-mean-line-length}, at least
 * {@code min-alphanumeric-fraction} letters and digits (embedded binary, tables of numbers), and no
 * auto-generated marker ("auto-generated", "do not edit", "@generated"...) in the first lines.
 */
public final class CodeQualityFilter implements DocumentFilter {
    public static final String NAME = "code-quality";

    /** Rules, named as in {@code millrace.curation.code-quality}. */
    public record Rules(int maxLineLength, double maxMeanLineLength, double minAlphanumericFraction,
                        List<String> generatedMarkers, int generatedScanLines) {
    }

    private final Rules r;
    private final Set<DocumentKind> kinds;

    public CodeQualityFilter(Rules rules, Set<DocumentKind> kinds) {
        this.r = new Rules(rules.maxLineLength(), rules.maxMeanLineLength(), rules.minAlphanumericFraction(),
                rules.generatedMarkers().stream().map(m -> m.toLowerCase(Locale.ROOT)).toList(), rules.generatedScanLines());
        this.kinds = Set.copyOf(kinds);
    }

    public static CodeQualityFilter fromConfig(Config config) {
        FilterSettings s = new FilterSettings(config, NAME);
        return new CodeQualityFilter(new Rules(s.positiveInt("max-line-length"), s.positive("max-mean-line-length"),
                s.fraction("min-alphanumeric-fraction"), s.strings("generated-markers"),
                s.nonNegativeInt("generated-scan-lines")), s.kinds());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        if (!kinds.contains(document.kind()) && !DocumentTypes.isCode(document)) {
            return Verdict.keep(document);
        }
        String text = document.text();
        int lines = 0;
        int longest = 0;
        int alphanumeric = 0;
        int lineStart = 0;
        String marker = null;
        int len = text.length();
        for (int i = 0; i <= len; i++) {
            if (i == len || text.charAt(i) == '\n') {
                int lineLength = i - lineStart;
                longest = Math.max(longest, lineLength);
                if (marker == null && lines < r.generatedScanLines()) {
                    marker = generatedMarker(text.substring(lineStart, i));
                }
                lines++;
                lineStart = i + 1;
            } else if (Character.isLetterOrDigit(text.charAt(i))) {
                alphanumeric++;
            }
        }
        if (marker != null) {
            return new Verdict.Drop("auto_generated", "\"" + marker + "\" in the first " + r.generatedScanLines()
                    + " lines", Double.NaN);
        }
        if (longest > r.maxLineLength()) {
            return new Verdict.Drop("long_line", "a line of " + longest + " characters, over millrace.curation." + NAME
                    + ".max-line-length = " + r.maxLineLength(), longest);
        }
        double mean = (len - (lines - 1)) / (double) lines;
        if (mean > r.maxMeanLineLength()) {
            return new Verdict.Drop("long_mean_line", String.format(Locale.ROOT, "mean line length %.1f, over "
                    + "millrace.curation.%s.max-mean-line-length = %s", mean, NAME, r.maxMeanLineLength()), mean);
        }
        double fraction = len == 0 ? 0 : alphanumeric / (double) len;
        if (fraction < r.minAlphanumericFraction()) {
            return new Verdict.Drop("low_alphanumeric", String.format(Locale.ROOT, "%.3f of characters are letters or "
                    + "digits, below millrace.curation.%s.min-alphanumeric-fraction = %s", fraction, NAME,
                    r.minAlphanumericFraction()), fraction);
        }
        return Verdict.keep(document);
    }

    private String generatedMarker(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        for (String m : r.generatedMarkers()) {
            if (lower.contains(m)) {
                return m;
            }
        }
        return null;
    }
}
