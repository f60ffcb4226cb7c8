package org.millrace.processing.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Settings;
import org.millrace.common.Verdict;

class LanguageFilterTest {
    private final LanguageFilter filter = LanguageFilter.fromConfig(Samples.config());

    @Test
    void englishIsKeptWithItsProbability() {
        Document moby = Samples.doc(Samples.text("text/moby-dick-chapter-1.txt"), DocumentKind.WEB);
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, filter.apply(moby));
        assertSame(moby, k.document());
        assertTrue(k.score() > 0.99, "probability " + k.score());
        // The same text gets the same verdict (a replayed document must be curated the same way).
        assertEquals(k.score(), ((Verdict.Keep) filter.apply(moby)).score());
        // Shouted English is still English.
        Document shouted = Samples.doc(Samples.text("text/moby-dick-chapter-1.txt").substring(0, 1500)
                .toUpperCase(Locale.ROOT), DocumentKind.WEB);
        assertInstanceOf(Verdict.Keep.class, filter.apply(shouted));
    }

    @Test
    void germanAndFrenchAreDroppedAsOtherLanguages() {
        Verdict.Drop de = assertInstanceOf(Verdict.Drop.class,
                filter.apply(Samples.doc(Samples.text("text/german-mail.txt"), DocumentKind.WEB)));
        assertEquals("other_language", de.reason());
        assertTrue(de.detail().startsWith("detected de"), de.detail());
        Verdict.Drop fr = assertInstanceOf(Verdict.Drop.class,
                filter.apply(Samples.doc(Samples.text("text/french-mail.txt"), DocumentKind.WEB)));
        assertEquals("other_language", fr.reason());
        assertTrue(fr.detail().startsWith("detected fr"), fr.detail());
        // ...and kept where they are configured.
        LanguageFilter multilingual = LanguageFilter.fromConfig(Samples.config("millrace.curation.language.languages = [en, de]"));
        assertInstanceOf(Verdict.Keep.class, multilingual.apply(Samples.doc(Samples.text("text/german-mail.txt"), DocumentKind.WEB)));
    }

    @Test
    void codeAndShortTextsAreNotJudged() {
        Document code = Samples.doc(Samples.text("text/german-mail.txt"), DocumentKind.CODE);
        assertSame(code, ((Verdict.Keep) filter.apply(code)).document());
        Document typedAsCode = Samples.doc(Samples.text("text/french-mail.txt"), DocumentKind.WEB, "text/x-python");
        assertInstanceOf(Verdict.Keep.class, filter.apply(typedAsCode));
        assertInstanceOf(Verdict.Keep.class, filter.apply(Samples.doc("Vielen Dank.", DocumentKind.WEB)));
    }

    @Test
    void longTextsAreJudgedOnASampleOfBeginningMiddleAndEnd() {
        String text = "a".repeat(5000) + " middle " + "b".repeat(5000) + " end";
        String sample = filter.sample(text);
        assertTrue(sample.length() <= 3000 + 3, "sample of " + sample.length());
        assertTrue(sample.startsWith("aaa") && sample.contains("b") && sample.strip().endsWith("end"));
    }

    @Test
    void unknownLanguageIsASettingsErrorNamingTheKey() {
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class,
                () -> LanguageFilter.fromConfig(Samples.config("millrace.curation.language.languages = [en, klingon]")));
        assertTrue(e.getMessage().startsWith("millrace.curation.language.languages = [en, klingon] is invalid: 'klingon'"),
                e.getMessage());
    }
}
