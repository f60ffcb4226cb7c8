package org.millrace.processing.filters;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.filters.internal.FilterSettings;
import org.millrace.processing.filters.internal.Hashes;
import org.millrace.processing.filters.internal.LongCounter;
import org.millrace.processing.filters.internal.Words;

/**
 * The Gopher repetition rules (Rae et al. 2021) as datatrove's GopherRepetitionFilter computes them,
 * with its defaults: duplicate lines and paragraphs (share of elements at most 0.3, share of
 * characters at most 0.2), the most frequent 2-, 3- and 4-gram (its characters times its count at
 * most 0.20, 0.18, 0.16 of the text), and characters in repeated 5- to 10-grams (0.15 down to 0.10).
 * Lines, paragraphs and n-grams are compared by 64-bit hashes instead of strings (no copies; a
 * collision within one document is a 2^-64 event).
 */
public final class GopherRepetitionFilter implements DocumentFilter {
    public static final String NAME = "gopher-repetition";

    /** Thresholds, named as in {@code millrace.curation.gopher-repetition}; n-gram maps are size → fraction. */
    public record Thresholds(double maxDuplicateLineFraction, double maxDuplicateParagraphFraction,
                             double maxDuplicateLineCharFraction, double maxDuplicateParagraphCharFraction,
                             Map<Integer, Double> topNgramMaxFractions, Map<Integer, Double> duplicateNgramMaxFractions) {
    }

    private final Thresholds t;
    private final Set<DocumentKind> kinds;

    public GopherRepetitionFilter(Thresholds thresholds, Set<DocumentKind> kinds) {
        this.t = new Thresholds(thresholds.maxDuplicateLineFraction(), thresholds.maxDuplicateParagraphFraction(),
                thresholds.maxDuplicateLineCharFraction(), thresholds.maxDuplicateParagraphCharFraction(),
                new TreeMap<>(thresholds.topNgramMaxFractions()), new TreeMap<>(thresholds.duplicateNgramMaxFractions()));
        this.kinds = Set.copyOf(kinds);
    }

    public static GopherRepetitionFilter fromConfig(Config config) {
        FilterSettings s = new FilterSettings(config, NAME);
        return new GopherRepetitionFilter(new Thresholds(s.fraction("max-duplicate-line-fraction"),
                s.fraction("max-duplicate-paragraph-fraction"), s.fraction("max-duplicate-line-char-fraction"),
                s.fraction("max-duplicate-paragraph-char-fraction"), ngramFractions(s, "top-ngram-max-fractions"),
                ngramFractions(s, "duplicate-ngram-max-fractions")), s.kinds());
    }

    private static Map<Integer, Double> ngramFractions(FilterSettings s, String name) {
        Map<Integer, Double> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : s.config().getObject(s.key(name)).entrySet()) {
            int n;
            try {
                n = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw s.invalid(name, e.getKey(), "keys must be n-gram sizes (integers), got '" + e.getKey() + "'");
            }
            if (n < 1 || n > 100) {
                throw s.invalid(name, n, "n-gram sizes must be within [1, 100]");
            }
            double f = s.fraction(name + ".\"" + n + "\"");
            out.put(n, f);
        }
        return out;
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
        double length = Math.max(1, text.length());
        String stripped = text.strip();
        int[] paragraphs = duplicates(stripped, true);
        if (paragraphs[2] > 0 && paragraphs[0] / (double) paragraphs[2] > t.maxDuplicateParagraphFraction()) {
            return drop("duplicate_paragraphs", paragraphs[0] / (double) paragraphs[2], "of paragraphs are repeats",
                    "max-duplicate-paragraph-fraction", t.maxDuplicateParagraphFraction());
        }
        if (paragraphs[1] / length > t.maxDuplicateParagraphCharFraction()) {
            return drop("duplicate_paragraph_chars", paragraphs[1] / length, "of characters are in repeated paragraphs",
                    "max-duplicate-paragraph-char-fraction", t.maxDuplicateParagraphCharFraction());
        }
        int[] lines = duplicates(text, false);
        if (lines[2] > 0 && lines[0] / (double) lines[2] > t.maxDuplicateLineFraction()) {
            return drop("duplicate_lines", lines[0] / (double) lines[2], "of lines are repeats",
                    "max-duplicate-line-fraction", t.maxDuplicateLineFraction());
        }
        if (lines[1] / length > t.maxDuplicateLineCharFraction()) {
            return drop("duplicate_line_chars", lines[1] / length, "of characters are in repeated lines",
                    "max-duplicate-line-char-fraction", t.maxDuplicateLineCharFraction());
        }
        int[] count = new int[1];
        Words.forEach(text, (start, end, word) -> count[0]++);
        long[] hashes = new long[count[0]];
        int[] lengths = new int[count[0]];
        int[] next = new int[1];
        Words.forEach(text, (start, end, word) -> {
            hashes[next[0]] = Hashes.fnv1a64(text, start, end);
            lengths[next[0]++] = end - start;
        });
        LongCounter counter = new LongCounter(hashes.length); // cleared for each n-gram size
        for (Map.Entry<Integer, Double> e : t.topNgramMaxFractions().entrySet()) {
            int n = e.getKey();
            if (hashes.length < n) {
                continue;
            }
            double share = topNgramChars(hashes, lengths, n, counter) / length;
            if (share > e.getValue()) {
                return drop("top_" + n + "gram", share, "of characters are the most frequent " + n + "-gram",
                        "top-ngram-max-fractions." + n, e.getValue());
            }
        }
        for (Map.Entry<Integer, Double> e : t.duplicateNgramMaxFractions().entrySet()) {
            int n = e.getKey();
            double share = duplicateNgramChars(hashes, lengths, n, counter) / length;
            if (share > e.getValue()) {
                return drop("duplicate_" + n + "grams", share, "of characters are in repeated " + n + "-grams",
                        "duplicate-ngram-max-fractions." + n, e.getValue());
            }
        }
        return Verdict.keep(document);
    }

    private static Verdict drop(String reason, double value, String what, String setting, double limit) {
        return new Verdict.Drop(reason, String.format(Locale.ROOT, "%.3f %s, above millrace.curation.%s.%s = %s",
                value, what, NAME, setting, limit), value);
    }

    /**
     * {repeated elements, characters in repeated elements, elements} of the text's paragraphs
     * (split at two or more line breaks) or lines (split at line breaks, empty lines skipped).
     */
    static int[] duplicates(String text, boolean paragraphs) {
        LongCounter seen = new LongCounter(64);
        int repeats = 0;
        int repeatedChars = 0;
        int elements = 0;
        int len = text.length();
        int start = 0;
        while (start < len) {
            int end = start;
            while (end < len && !(text.charAt(end) == '\n'
                    && (!paragraphs || (end + 1 < len && text.charAt(end + 1) == '\n')))) {
                end++;
            }
            if (end > start) {
                elements++;
                if (seen.increment(Hashes.fnv1a64(text, start, end)) > 1) {
                    repeats++;
                    repeatedChars += end - start;
                }
            }
            start = end;
            while (start < len && text.charAt(start) == '\n') {
                start++;
            }
        }
        return new int[] {repeats, repeatedChars, elements};
    }

    /** Characters of the most frequent n-gram (words joined by spaces) times its count. */
    static long topNgramChars(long[] words, int[] lengths, int n) {
        return topNgramChars(words, lengths, n, new LongCounter(words.length));
    }

    private static long topNgramChars(long[] words, int[] lengths, int n, LongCounter counts) {
        counts.clear();
        int bestCount = 0;
        int bestChars = 0;
        for (int i = 0; i + n <= words.length; i++) {
            int c = counts.increment(ngram(words, i, n));
            if (c > bestCount) {
                bestCount = c;
                bestChars = chars(lengths, i, n) + n - 1;
            }
        }
        return (long) bestCount * bestChars;
    }

    /**
     * Characters (words joined without spaces) of n-grams that repeat an earlier one, skipping past a
     * repeat so that overlapping repeats count once — datatrove's find_all_duplicate.
     */
    static long duplicateNgramChars(long[] words, int[] lengths, int n) {
        return duplicateNgramChars(words, lengths, n, new LongCounter(words.length));
    }

    private static long duplicateNgramChars(long[] words, int[] lengths, int n, LongCounter seen) {
        seen.clear();
        long repeated = 0;
        int i = 0;
        while (i + n <= words.length) {
            if (seen.increment(ngram(words, i, n)) > 1) {
                repeated += chars(lengths, i, n);
                i += n;
            } else {
                i++;
            }
        }
        return repeated;
    }

    private static long ngram(long[] words, int from, int n) {
        long h = n;
        for (int k = from; k < from + n; k++) {
            h = h * 0x100000001b3L + words[k];
            h ^= h >>> 29;
        }
        return h;
    }

    private static int chars(int[] lengths, int from, int n) {
        int c = 0;
        for (int k = from; k < from + n; k++) {
            c += lengths[k];
        }
        return c;
    }
}
