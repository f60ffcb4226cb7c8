package org.millrace.processing.filters;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.filters.internal.DetectorText;
import org.millrace.processing.filters.internal.DocumentTypes;
import org.millrace.processing.filters.internal.FilterSettings;
import org.millrace.processing.filters.internal.LanguageDetectors;
import org.millrace.processing.filters.internal.NgramWalkDetector;

/**
 * Keeps documents in the configured languages whose detected probability reaches a confidence, as
 * datatrove's LanguageFilter does with fastText (threshold 0.65 there too).
 *
 * <p>Detector: optimaize language-detector 0.6 rather than lingua 1.2.2. Both restrict detection to
 * chosen languages; optimaize is a 2 MB jar (plus Guava 18 and jsonic, 2.4 MB) with 70 profiles of n-gram frequencies (≈ 0.1 s and a
 * few MB of heap per language) and runs at several MB/s per core, where lingua is an 80 MB jar whose
 * models take far more heap and time per language. Lingua is more accurate on very short texts, which
 * curation does not judge (the Gopher rules drop documents under 50 words anyway); on paragraphs
 * both are near-perfect. Only the kept languages and a handful of common others ({@code also-detect})
 * are loaded, so that a French page is recognised as French instead of being forced into English.
 *
 * <p>Long documents are judged on a sample of their text (its beginning, middle and end). Code is
 * never judged; texts shorter than {@code min-chars} are kept without a verdict.
 *
 * <p>The library's detection runs as {@link NgramWalkDetector} on text prepared by {@link DetectorText}:
 * the library's probabilities to the bit, for about a third of its CPU on the corpus.
 */
public final class LanguageFilter implements DocumentFilter {
    public static final String NAME = "language";
    /** How the library prepares a text for detection; {@link DetectorText} does the same with less work. */
    static final TextObjectFactory LIBRARY_TEXT = CommonTextObjectFactories.forDetectingOnLargeText();

    private final Set<String> languages;
    private final double minConfidence;
    private final Set<DocumentKind> kinds;
    private final int sampleChars;
    private final int minChars;
    private final NgramWalkDetector detector;

    /**
     * @param shortTextChars samples up to this many characters (after the detector's URL removal) are
     *                       judged by the detector's deterministic short-text algorithm, longer ones by
     *                       its random walk
     */
    public LanguageFilter(List<String> languages, List<String> alsoDetect, double minConfidence, Set<DocumentKind> kinds,
                          int sampleChars, int minChars, int shortTextChars) {
        this.languages = Set.copyOf(languages);
        this.minConfidence = minConfidence;
        this.kinds = Set.copyOf(kinds);
        this.sampleChars = sampleChars;
        this.minChars = minChars;
        TreeSet<String> all = new TreeSet<>(languages);
        all.addAll(alsoDetect);
        this.detector = LanguageDetectors.forLanguages(List.copyOf(all), shortTextChars);
    }

    public static LanguageFilter fromConfig(Config config) {
        FilterSettings s = new FilterSettings(config, NAME);
        List<String> known = LanguageDetectors.known();
        List<String> languages = s.strings("languages");
        if (languages.isEmpty()) {
            throw s.invalid("languages", languages, "must name at least one language to keep");
        }
        for (String key : List.of("languages", "also-detect")) {
            for (String code : s.strings(key)) {
                if (!known.contains(code)) {
                    throw s.invalid(key, s.strings(key), "'" + code + "' has no language profile; known: " + known);
                }
            }
        }
        return new LanguageFilter(languages, s.strings("also-detect"), s.fraction("min-confidence"), s.kinds(),
                s.positiveInt("sample-chars"), s.nonNegativeInt("min-chars"), s.nonNegativeInt("short-text-chars"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        if (!kinds.contains(document.kind()) || DocumentTypes.isCode(document) || document.text().length() < minChars) {
            return Verdict.keep(document);
        }
        // Lower case: the profiles are n-grams of ordinary text, and shouted English reads as German otherwise.
        String sample = sample(document.text()).toLowerCase(Locale.ROOT);
        List<DetectedLanguage> found = detector.getProbabilities(DetectorText.prepare(sample));
        if (found.isEmpty()) {
            return new Verdict.Drop("undetermined", "no language reaches the detector's threshold", 0);
        }
        DetectedLanguage best = found.get(0);
        String code = best.getLocale().toString();
        double p = best.getProbability();
        if (!languages.contains(code) && p >= minConfidence) {
            return new Verdict.Drop("other_language", String.format(Locale.ROOT, "detected %s (%.3f), keeping %s",
                    code, p, new TreeSet<>(languages)), p);
        }
        if (p < minConfidence) {
            return new Verdict.Drop("low_confidence", String.format(Locale.ROOT,
                    "detected %s with probability %.3f, below millrace.curation.%s.min-confidence = %s", code, p, NAME,
                    minConfidence), p);
        }
        return new Verdict.Keep(document, false, p);
    }

    /** The text, or three slices of it (beginning, middle, end) cut at spaces when it is longer than the sample. */
    String sample(String text) {
        if (text.length() <= sampleChars) {
            return text;
        }
        int slice = sampleChars / 3;
        StringBuilder sb = new StringBuilder(sampleChars + 8);
        for (int start : new int[] {0, (text.length() - slice) / 2, text.length() - slice}) {
            int from = start == 0 ? 0 : afterSpace(text, start);
            int to = Math.min(text.length(), from + slice);
            sb.append(text, from, to).append('\n');
        }
        return sb.toString();
    }

    private static int afterSpace(String text, int from) {
        int limit = Math.min(text.length(), from + 64);
        for (int i = from; i < limit; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i + 1;
            }
        }
        return from;
    }
}
