package org.millrace.processing.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.TextObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.millrace.processing.filters.internal.LanguageDetectors;
import org.millrace.processing.filters.internal.NgramWalkDetector;

/**
 * The language filter's detector gives the library's probabilities to the last bit, on the texts the
 * filter hands it (samples of the test resources' documents, lower-cased and prepared) and on
 * snippets of them from 20 to 600 characters, on both sides of the short-text limit.
 */
class NgramWalkDetectorTest {

    private static String describe(List<DetectedLanguage> found) {
        StringBuilder sb = new StringBuilder();
        for (DetectedLanguage d : found) {
            sb.append(d.getLocale()).append('=').append(Double.doubleToRawLongBits(d.getProbability()))
                    .append(" (").append(d.getProbability()).append(") ");
        }
        return sb.toString();
    }

    @Test
    void givesTheLibrarysProbabilitiesToTheLastBit() throws IOException {
        var config = Samples.config();
        List<String> codes = new ArrayList<>(new TreeSet<>(config.getStringList("millrace.curation.language.languages")));
        codes.addAll(config.getStringList("millrace.curation.language.also-detect"));
        codes = List.copyOf(new TreeSet<>(codes)); // as LanguageFilter asks for them
        int shortText = config.getInt("millrace.curation.language.short-text-chars");
        NgramWalkDetector ours = LanguageDetectors.forLanguages(codes, shortText);
        LanguageDetector library = LanguageDetectorBuilder.create(NgramExtractors.standard())
                .withProfiles(new LanguageProfileReader().read(codes)).shortTextAlgorithm(shortText).seed(42L).build();
        LanguageFilter filter = LanguageFilter.fromConfig(config);

        List<String> texts = new ArrayList<>();
        for (String doc : LanguageSampleAgreementTest.documents()) {
            texts.add(filter.sample(doc));
            for (int length : new int[] {20, 45, 60, 90, 150, 300, 600}) {
                int from = Math.min(doc.length(), doc.length() / 3);
                texts.add(doc.substring(from, Math.min(doc.length(), from + length)));
            }
        }
        int walked = 0;
        int detected = 0;
        for (String text : texts) {
            TextObject prepared = LanguageFilter.LIBRARY_TEXT.forText(text.toLowerCase(Locale.ROOT));
            List<DetectedLanguage> expected = library.getProbabilities(prepared);
            assertEquals(describe(expected), describe(ours.getProbabilities(prepared)),
                    "text of " + text.length() + " characters: " + text.substring(0, Math.min(80, text.length())));
            walked += prepared.length() > shortText ? 1 : 0;
            detected += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(texts.size() >= 1000 && walked >= 800 && detected >= 900,
                texts.size() + " texts, " + walked + " longer than the short-text limit, " + detected + " with a language");
    }
}
