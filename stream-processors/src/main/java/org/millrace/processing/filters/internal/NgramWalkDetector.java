package org.millrace.processing.filters.internal;

import com.carrotsearch.hppc.LongIntHashMap;
import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.NgramFrequencyData;
import com.optimaize.langdetect.i18n.LdLocale;
import com.optimaize.langdetect.profiles.LanguageProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * optimaize language-detector 0.6's detection, with its long-text algorithm (the random walk) run over
 * n-gram numbers instead of n-gram strings. Same profiles, same n-grams in the same order, same random
 * draws, same arithmetic in the same order: the same probabilities, to the last bit
 * ({@code NgramWalkDetectorTest} compares them with the library's detector).
 *
 * <p>Why hand-written: the library cuts every 1-, 2- and 3-gram of the text into a String (about
 * three per character), then for each of up to 7 × 1,000 random draws looks the drawn String up in a
 * map of 100,000s of Strings; that was half the language filter's time on a corpus of short
 * documents. Here each n-gram is packed into a long, numbered by one primitive-map lookup the first
 * time it is drawn, and is an array index after that. Texts up to {@code shortTextChars} go to the
 * library's detector (its short-text algorithm), as they would there.
 */
public final class NgramWalkDetector {
    // The library's constants (LanguageDetectorImpl and LanguageDetectorBuilder defaults, 0.6).
    private static final double ALPHA = 0.5;
    private static final double ALPHA_WIDTH = 0.05;
    private static final int ITERATION_LIMIT = 1000;
    private static final double CONV_THRESHOLD = 0.99999;
    private static final double BASE_FREQ = 10000;
    private static final int N_TRIAL = 7;
    private static final double PROBABILITY_THRESHOLD = 0.1;
    private static final int UNKNOWN = -1;
    private static final int NOT_LOOKED_UP = -2;

    private final LanguageDetector library;
    private final int shortTextChars;
    private final long seed;
    private final List<LdLocale> languages;
    private final LongIntHashMap gramIds = new LongIntHashMap();
    private final double[][] gramProbabilities;

    /**
     * @param library        the library's detector built from the same {@code profiles} (standard n-gram
     *                       extractor, default alpha and factors, no language weights), for short texts
     * @param profiles       the profiles, in the order they were given to the library's builder
     */
    public NgramWalkDetector(LanguageDetector library, List<LanguageProfile> profiles, int shortTextChars, long seed) {
        this.library = library;
        this.shortTextChars = shortTextChars;
        this.seed = seed;
        // The library's builder keeps its profiles in a HashSet filled in this order; the language order
        // (which decides the order of the sums that normalise probabilities) is that set's.
        Set<LanguageProfile> asTheBuilderHoldsThem = new HashSet<>();
        asTheBuilderHoldsThem.addAll(profiles);
        NgramFrequencyData data = NgramFrequencyData.create(asTheBuilderHoldsThem, List.of(1, 2, 3));
        this.languages = List.copyOf(data.getLanguageList());
        List<double[]> rows = new ArrayList<>();
        for (LanguageProfile profile : profiles) {
            for (Map.Entry<String, Integer> gram : profile.iterateGrams()) {
                String g = gram.getKey();
                if (g.length() >= 1 && g.length() <= 3 && !gramIds.containsKey(key(g, 0, g.length()))) {
                    double[] p = data.getProbabilities(g);
                    if (p != null) {
                        gramIds.put(key(g, 0, g.length()), rows.size());
                        rows.add(p);
                    }
                }
            }
        }
        this.gramProbabilities = rows.toArray(new double[0][]);
    }

    /** The languages with a probability of at least 0.1, most probable first, as {@link LanguageDetector#getProbabilities}. */
    public List<DetectedLanguage> getProbabilities(CharSequence text) {
        if (text.length() <= shortTextChars) {
            return library.getProbabilities(text);
        }
        long[] grams = grams(text);
        if (grams.length == 0) {
            return List.of();
        }
        return sorted(walk(grams));
    }

    /**
     * The text's n-grams, packed by {@link #key}, as the library's standard extractor lists them: the
     * text padded with a space at each end that lacks one; all 1-grams but a space, all 2-grams, 3-grams
     * without a space in the middle; by length, then position.
     */
    static long[] grams(CharSequence raw) {
        String text = pad(raw.toString());
        int len = text.length();
        long[] out = new long[Math.max(0, len) + Math.max(0, len - 1) + Math.max(0, len - 2)];
        int n = 0;
        for (int gramLength = 1; gramLength <= 3; gramLength++) {
            for (int pos = 0; pos + gramLength <= len; pos++) {
                if ((gramLength == 1 && text.charAt(pos) == ' ') || (gramLength == 3 && text.charAt(pos + 1) == ' ')) {
                    continue;
                }
                out[n++] = key(text, pos, gramLength);
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static String pad(String text) {
        if (text.isEmpty() || (text.charAt(0) == ' ' && text.charAt(text.length() - 1) == ' ')) {
            return text;
        }
        return (text.charAt(0) == ' ' ? "" : " ") + text + (text.charAt(text.length() - 1) == ' ' ? "" : " ");
    }

    /** An n-gram of 1 to 3 chars packed into a long: its length, then its chars, 16 bits each. */
    private static long key(String s, int from, int length) {
        long k = length;
        for (int i = 0; i < length; i++) {
            k = (k << 16) | s.charAt(from + i);
        }
        return k;
    }

    /**
     * The library's detectBlockLongText: 7 trials of up to 1,000 draws, averaged. An n-gram is looked
     * up when it is first drawn (most never are in a long sample).
     */
    private double[] walk(long[] grams) {
        int[] ids = new int[grams.length];
        Arrays.fill(ids, NOT_LOOKED_UP);
        int languageCount = languages.size();
        double[] langprob = new double[languageCount];
        Random rand = new Random(seed);
        double[] prob = new double[languageCount];
        for (int t = 0; t < N_TRIAL; ++t) {
            Arrays.fill(prob, 1.0 / languageCount);
            double alpha = ALPHA + (rand.nextGaussian() * ALPHA_WIDTH);
            double weight = alpha / BASE_FREQ;
            for (int i = 0; i < ITERATION_LIMIT; i++) {
                int r = rand.nextInt(grams.length);
                int id = ids[r];
                if (id == NOT_LOOKED_UP) {
                    id = gramIds.getOrDefault(grams[r], UNKNOWN);
                    ids[r] = id;
                }
                if (id != UNKNOWN) {
                    double[] p = gramProbabilities[id];
                    for (int j = 0; j < languageCount; ++j) {
                        prob[j] *= (weight + p[j]);
                    }
                }
                if (i % 5 == 0 && normalize(prob) > CONV_THRESHOLD) {
                    break;
                }
            }
            for (int j = 0; j < languageCount; ++j) {
                langprob[j] += prob[j] / N_TRIAL;
            }
        }
        return langprob;
    }

    /** The library's Util.normalizeProb: divides by the sum, returns the largest. */
    private static double normalize(double[] prob) {
        double maxp = 0;
        double sump = 0;
        for (double p : prob) {
            sump += p;
        }
        for (int i = 0; i < prob.length; ++i) {
            double p = prob[i] / sump;
            if (maxp < p) {
                maxp = p;
            }
            prob[i] = p;
        }
        return maxp;
    }

    private List<DetectedLanguage> sorted(double[] prob) {
        List<DetectedLanguage> list = new ArrayList<>();
        for (int j = 0; j < prob.length; ++j) {
            if (prob[j] >= PROBABILITY_THRESHOLD) {
                list.add(new DetectedLanguage(languages.get(j), prob[j]));
            }
        }
        if (list.size() >= 2) {
            list.sort((a, b) -> Double.compare(b.getProbability(), a.getProbability()));
        }
        return list;
    }
}
