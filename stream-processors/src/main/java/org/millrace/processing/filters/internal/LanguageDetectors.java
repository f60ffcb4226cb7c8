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
    private static final Map<List<String>, LanguageDetector> DETECTORS = new ConcurrentHashMap<>();

    private LanguageDetectors() {
    }

    /** Language codes that have a profile ({@code en}, {@code zh-CN}...). */
    public static List<String> known() {
        return BuiltInLanguages.getLanguages().stream().map(Object::toString).sorted().toList();
    }

    public static LanguageDetector forLanguages(List<String> sortedCodes) {
        return DETECTORS.computeIfAbsent(List.copyOf(sortedCodes), codes -> {
            try {
                List<LanguageProfile> profiles = new LanguageProfileReader().read(codes);
                return LanguageDetectorBuilder.create(NgramExtractors.standard()).withProfiles(profiles).seed(SEED).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read language profiles " + codes, e);
            }
        });
    }
}
