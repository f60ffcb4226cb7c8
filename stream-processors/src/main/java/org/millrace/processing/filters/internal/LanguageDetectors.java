package org.millrace.processing.filters.internal;

import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.BuiltInLanguages;
import com.optimaize.langdetect.profiles.LanguageProfile;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One detector per set of languages in a JVM: profiles load in about 0.1 s each and detectors are
 * immutable, so every curator and benchmark shares them.
 */
public final class LanguageDetectors {
    /** The detector draws its n-gram samples from a Random with this seed: the same text gets the same verdict. */
    private static final long SEED = 42L;
    private static final Map<Key, NgramWalkDetector> DETECTORS = new ConcurrentHashMap<>();

    private record Key(List<String> codes, int shortTextChars) {
    }

    private LanguageDetectors() {
    }

    /** Language codes that have a profile ({@code en}, {@code zh-CN}...). */
    public static List<String> known() {
        return BuiltInLanguages.getLanguages().stream().map(Object::toString).sorted().toList();
    }

    /**
     * @param shortTextChars texts up to this many characters are judged by the library's deterministic
     *                       short-text algorithm (one pass over the counted n-grams, stopping once a
     *                       language's probability converges); longer ones by its random walk (seven
     *                       trials of up to 1,000 n-gram draws)
     */
    public static NgramWalkDetector forLanguages(List<String> sortedCodes, int shortTextChars) {
        return DETECTORS.computeIfAbsent(new Key(List.copyOf(sortedCodes), shortTextChars), key -> {
            try {
                List<LanguageProfile> profiles = new LanguageProfileReader().read(key.codes());
                LanguageDetector library = LanguageDetectorBuilder.create(NgramExtractors.standard()).withProfiles(profiles)
                        .shortTextAlgorithm(key.shortTextChars()).seed(SEED).build();
                return new NgramWalkDetector(library, profiles, key.shortTextChars(), SEED);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read language profiles " + key.codes(), e);
            }
        });
    }
}
