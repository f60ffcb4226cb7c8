package org.millrace.processing.filters;

import java.util.HashMap;
import java.util.Map;

/**
 * Token-level precision, recall and F1 of an extracted text against a reference text, as extraction
 * benchmarks (CleanEval, the trafilatura and ScrapingHub evaluations) count them: both texts become
 * bags of lower-cased tokens (maximal runs of letters and digits), and a token matches as often as it
 * occurs in both.
 *
 * @param extractedTokens tokens in the extracted text
 * @param referenceTokens tokens in the reference
 * @param matchedTokens   tokens in both, counted with multiplicity
 */
public record ExtractionScore(long extractedTokens, long referenceTokens, long matchedTokens) {

    public static ExtractionScore of(String extracted, String reference) {
        Map<String, int[]> counts = new HashMap<>();
        long e = tokens(extracted, counts, 0);
        long r = tokens(reference, counts, 1);
        long matched = 0;
        for (int[] c : counts.values()) {
            matched += Math.min(c[0], c[1]);
        }
        return new ExtractionScore(e, r, matched);
    }

    /** The sum of two scores: micro-averaging over pages. */
    public ExtractionScore plus(ExtractionScore other) {
        return new ExtractionScore(extractedTokens + other.extractedTokens, referenceTokens + other.referenceTokens,
                matchedTokens + other.matchedTokens);
    }

    public static ExtractionScore zero() {
        return new ExtractionScore(0, 0, 0);
    }

    public double precision() {
        return extractedTokens == 0 ? 0 : matchedTokens / (double) extractedTokens;
    }

    public double recall() {
        return referenceTokens == 0 ? 0 : matchedTokens / (double) referenceTokens;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private static long tokens(String text, Map<String, int[]> counts, int side) {
        long n = 0;
        int i = 0;
        int len = text.length();
        while (i < len) {
            int cp = text.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < len && Character.isLetterOrDigit(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            String token = text.substring(start, i).toLowerCase(java.util.Locale.ROOT);
            counts.computeIfAbsent(token, k -> new int[2])[side]++;
            n++;
        }
        return n;
    }
}
