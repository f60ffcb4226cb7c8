package org.millrace.processing.filters;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.filters.internal.FilterSettings;
import org.millrace.processing.filters.internal.Words;

/**
 * The Gopher quality rules (Rae et al. 2021) with datatrove's defaults: 50–100,000 words, mean word
 * length 3–10, '#' and ellipses at most 0.1 per word, at most 90% of lines starting with a bullet
 * and 30% ending with an ellipsis, at least 80% of tokens with a letter, at least 2 stop words.
 * Words are counted as {@link Words} splits them; stop words match case-insensitively.
 */
public final class GopherQualityFilter implements DocumentFilter {
    public static final String NAME = "gopher-quality";

    /** The thresholds, named as in {@code millrace.curation.gopher-quality}. */
    public record Thresholds(int minWords, int maxWords, double minMeanWordLength, double maxMeanWordLength,
                             double maxSymbolWordRatio, double maxBulletLinesRatio, double maxEllipsisLinesRatio,
                             double minAlphaWordsRatio, int minStopWords, Set<String> stopWords) {
    }

    private final Thresholds t;
    private final Set<DocumentKind> kinds;
    private final int maxStopWordLength;

    public GopherQualityFilter(Thresholds thresholds, Set<DocumentKind> kinds) {
        this.t = thresholds;
        this.kinds = Set.copyOf(kinds);
        this.maxStopWordLength = thresholds.stopWords().stream().mapToInt(String::length).max().orElse(0);
    }

    /** Token counts of one document. */
    private static final class Counts {
        int tokens;
        int words;
        long wordChars;
        int withLetter;
        int stopWords;
    }

    public static GopherQualityFilter fromConfig(Config config) {
        FilterSettings s = new FilterSettings(config, NAME);
        int minWords = s.nonNegativeInt("min-words");
        int maxWords = s.positiveInt("max-words");
        if (maxWords < minWords) {
            throw s.invalid("max-words", maxWords, "must be >= " + s.key("min-words") + " = " + minWords);
        }
        double minLen = s.positive("min-mean-word-length");
        double maxLen = s.positive("max-mean-word-length");
        if (maxLen < minLen) {
            throw s.invalid("max-mean-word-length", maxLen, "must be >= " + s.key("min-mean-word-length") + " = " + minLen);
        }
        Set<String> stopWords = s.strings("stop-words").stream().map(w -> w.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return new GopherQualityFilter(new Thresholds(minWords, maxWords, minLen, maxLen,
                s.positive("max-symbol-word-ratio"), s.fraction("max-bullet-lines-ratio"),
                s.fraction("max-ellipsis-lines-ratio"), s.fraction("min-alpha-words-ratio"),
                s.nonNegativeInt("min-stop-words"), stopWords), s.kinds());
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
        Counts n = new Counts();
        Words.forEach(text, (start, end, word) -> {
            n.tokens++;
            if (word) {
                n.words++;
                n.wordChars += end - start;
                if (end - start <= maxStopWordLength && n.stopWords < t.minStopWords()
                        && t.stopWords().contains(text.substring(start, end).toLowerCase(Locale.ROOT))) {
                    n.stopWords++;
                }
            }
            if (Words.hasLetter(text, start, end)) {
                n.withLetter++;
            }
        });
        int nTokens = Math.max(1, n.tokens);
        int words = n.words;
        long wordChars = n.wordChars;
        int withLetter = n.withLetter;
        int stopWords = n.stopWords;
        if (words < t.minWords()) {
            return drop("short_doc", words + " words, fewer than min-words = " + t.minWords(), words);
        }
        if (words > t.maxWords()) {
            return drop("long_doc", words + " words, more than max-words = " + t.maxWords(), words);
        }
        double meanLength = wordChars / (double) words;
        if (meanLength < t.minMeanWordLength()) {
            return drop("short_words", fmt("mean word length %.2f, below min-mean-word-length = %s", meanLength,
                    t.minMeanWordLength()), meanLength);
        }
        if (meanLength > t.maxMeanWordLength()) {
            return drop("long_words", fmt("mean word length %.2f, above max-mean-word-length = %s", meanLength,
                    t.maxMeanWordLength()), meanLength);
        }
        double hashes = count(text, "#") / (double) nTokens;
        if (hashes > t.maxSymbolWordRatio()) {
            return drop("too_many_hashes", fmt("%.3f '#' per word, above max-symbol-word-ratio = %s", hashes,
                    t.maxSymbolWordRatio()), hashes);
        }
        double ellipses = (count(text, "...") + count(text, "\u2026")) / (double) nTokens;
        if (ellipses > t.maxSymbolWordRatio()) {
            return drop("too_many_ellipses", fmt("%.3f ellipses per word, above max-symbol-word-ratio = %s", ellipses,
                    t.maxSymbolWordRatio()), ellipses);
        }
        int lines = 0;
        int bullets = 0;
        int endEllipsis = 0;
        for (String line : text.split("\n")) { // as Python's splitlines(): no empty line after a final break
            lines++;
            String s = line.strip();
            if (s.startsWith("\u2022") || s.startsWith("-")) {
                bullets++;
            }
            if (s.endsWith("...") || s.endsWith("\u2026")) {
                endEllipsis++;
            }
        }
        double bulletRatio = bullets / (double) lines;
        if (bulletRatio > t.maxBulletLinesRatio()) {
            return drop("too_many_bullets", fmt("%.2f of lines start with a bullet, above max-bullet-lines-ratio = %s",
                    bulletRatio, t.maxBulletLinesRatio()), bulletRatio);
        }
        double ellipsisRatio = endEllipsis / (double) lines;
        if (ellipsisRatio > t.maxEllipsisLinesRatio()) {
            return drop("too_many_end_ellipses", fmt("%.2f of lines end with an ellipsis, above "
                    + "max-ellipsis-lines-ratio = %s", ellipsisRatio, t.maxEllipsisLinesRatio()), ellipsisRatio);
        }
        double alpha = withLetter / (double) nTokens;
        if (alpha < t.minAlphaWordsRatio()) {
            return drop("few_alpha_words", fmt("%.2f of tokens have a letter, below min-alpha-words-ratio = %s", alpha,
                    t.minAlphaWordsRatio()), alpha);
        }
        if (stopWords < t.minStopWords()) {
            return drop("few_stop_words", stopWords + " stop words, fewer than min-stop-words = " + t.minStopWords(), stopWords);
        }
        return Verdict.keep(document);
    }

    private static Verdict drop(String reason, String detail, double score) {
        return new Verdict.Drop(reason, detail, score);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static int count(String text, String needle) {
        int n = 0;
        int i = text.indexOf(needle);
        while (i >= 0) {
            n++;
            i = text.indexOf(needle, i + needle.length());
        }
        return n;
    }
}
