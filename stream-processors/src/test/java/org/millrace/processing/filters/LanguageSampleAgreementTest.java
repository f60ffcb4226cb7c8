package org.millrace.processing.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.Verdict;
import org.millrace.processing.filters.internal.DetectorText;

/**
 * The default sample ({@code sample-chars}, a few KB from the beginning, middle and end) decides as
 * a sample twice as long does on real documents of every kind the test resources hold: prose, mail
 * in three languages, reST and HTML manual pages, and longer documents made of consecutive
 * classifier seeds (Python manual, Moby-Dick, news).
 */
class LanguageSampleAgreementTest {

    static List<String> documents() {
        List<String> docs = new ArrayList<>();
        for (String path : List.of("text/moby-dick-chapter-1.txt", "text/french-mail.txt", "text/german-mail.txt",
                "mail/ham-nmh-pick.eml", "mail/spam-cell-phone-clips.eml", "python-doc/rst/tutorial/venv.rst.txt",
                "python-doc/rst/tutorial/interpreter.rst.txt", "python-doc/rst/tutorial/appetite.rst.txt",
                "python-doc/html/tutorial/venv.html", "python-doc/html/tutorial/interpreter.html",
                "python-doc/html/library/getpass.html", "python-doc/html/library/html.html")) {
            docs.add(Samples.text(path));
        }
        List<String> seeds = new ArrayList<>();
        try (InputStream in = LanguageSampleAgreementTest.class.getResourceAsStream("/samples/classifier-seeds.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode node = Json.MAPPER.readTree(line);
                    seeds.add(node.get("text").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        docs.addAll(seeds);
        for (int i = 0; i + 4 <= seeds.size(); i += 2) { // four seeds: long enough that the two samples differ
            docs.add(String.join("\n\n", seeds.subList(i, i + 4)));
        }
        return docs;
    }

    private static String decision(Verdict v) {
        if (v instanceof Verdict.Drop d) {
            return d.reason() + ": " + d.detail().substring(0, Math.min(11, d.detail().length()));
        }
        return "keep";
    }

    @Test
    void theDefaultSampleDecidesAsASampleTwiceAsLong() {
        LanguageFilter byDefault = LanguageFilter.fromConfig(Samples.config());
        int defaultChars = Samples.config().getInt("millrace.curation.language.sample-chars");
        LanguageFilter longer = LanguageFilter.fromConfig(
                Samples.config("millrace.curation.language.sample-chars = " + 2 * defaultChars));
        List<String> docs = documents();
        int sampled = 0;
        for (String text : docs) {
            var doc = Samples.doc(text, DocumentKind.WEB);
            assertEquals(decision(longer.apply(doc)), decision(byDefault.apply(doc)),
                    "document of " + text.length() + " characters starting " + text.substring(0, Math.min(80, text.length())));
            if (text.length() > defaultChars) {
                sampled++;
            }
        }
        assertTrue(docs.size() >= 150 && sampled >= 60, docs.size() + " documents, " + sampled + " longer than the sample");
    }

    @Test
    void textIsPreparedForTheDetectorAsByTheLibrarysFactory() {
        LanguageFilter filter = LanguageFilter.fromConfig(Samples.config());
        int ascii = 0;
        int links = 0;
        List<String> texts = new ArrayList<>(documents());
        texts.add("Write to jane.doe@example.org or see https://example.org/a?b=c#d and http://x.y/z, not mailto:@ or ://");
        texts.add("Écrivez à marie@exemple.fr — voir https://exemple.fr/été et ftp://hôte/ (sans lien)");
        texts.add("a@b@c.d x@y http://a.b/c@d.e https://u:p@host.org/x@y mail@host.org:8080/path @@ :// http:// e@é.fr");
        texts.add("@start.org and the end is end@here.org");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 300; i++) { // every block of the BMP, mixed scripts, runs of spaces, URL and address characters
            StringBuilder sb = new StringBuilder();
            int base = random.nextInt(Character.MAX_VALUE + 1 - 512);
            for (int j = random.nextInt(400); j > 0; j--) {
                int pick = random.nextInt(5);
                String linkish = "@:/.-_?&~;+=#htps";
                sb.append(pick == 0 ? ' ' : pick == 1 ? (char) ('a' + random.nextInt(26))
                        : pick == 2 ? linkish.charAt(random.nextInt(linkish.length())) : (char) (base + random.nextInt(512)));
            }
            texts.add(sb.toString());
        }
        for (String text : texts) {
            String sample = filter.sample(text).toLowerCase(java.util.Locale.ROOT);
            assertEquals(LanguageFilter.LIBRARY_TEXT.forText(sample).toString(), DetectorText.prepare(sample));
            ascii += DetectorText.isAscii(sample) ? 1 : 0;
            links += sample.contains("@") || sample.contains("://") ? 1 : 0;
        }
        String beyondTheLimit = "word ".repeat(2_500) + "http://example.org " + "mot é ".repeat(10);
        assertEquals(LanguageFilter.LIBRARY_TEXT.forText(beyondTheLimit).toString(), DetectorText.prepare(beyondTheLimit));
        assertTrue(ascii >= 50 && links >= 10, ascii + " ASCII documents, " + links + " with an @ or ://");
    }
}
