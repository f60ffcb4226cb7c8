package org.millrace.producers.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;

/** WordNet data lines, the evaluation half kept out, and glossary sections built from the rest. */
class WordNetGlossesTest {
    @TempDir
    Path dir;

    /** Two lines of WordNet 3.0's data.noun, as the package ships them. */
    static final String ENTITY = "00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 ~ 00002137 n 0000 ~ 04424418 n 0000 | that which "
            + "is perceived or known or inferred to have its own distinct existence (living or nonliving)  ";
    static final String ABSTRACTION = "00002137 03 n 02 abstraction 0 abstract_entity 0 010 @ 00001740 n 0000 + 00692347 v 0101 "
            + "~ 00023100 n 0000 ~ 00024264 n 0000 ~ 00031264 n 0000 ~ 00031921 n 0000 ~ 00033020 n 0000 ~ 00033615 n 0000 "
            + "~ 05810143 n 0000 ~ 07999699 n 0000 | a general concept formed by extracting common features from specific examples  ";

    @Test
    void dataLinesParseIntoWordsGlossAndHypernym() {
        WordNetGlosses.Synset s = WordNetGlosses.parse(ABSTRACTION);
        if (WordNetGlosses.reservedForEvaluation('n', 2137)) {
            assertNull(s, "reserved synsets are not even parsed");
            return;
        }
        assertEquals(List.of("abstraction", "abstract entity"), s.words());
        assertEquals("a general concept formed by extracting common features from specific examples", s.gloss());
        assertEquals("noun.Tops", s.category());
        assertEquals(1740, s.hypernym());
        assertNull(WordNetGlosses.parse("  1 This software and database is being provided to you, the LICENSEE, by  "));
    }

    @Test
    void aboutHalfOfTheSynsetsAreReservedForEvaluationAndNeverLoaded() throws IOException {
        int reserved = 0;
        for (long offset = 1000; offset < 21000; offset += 8) {
            if (WordNetGlosses.reservedForEvaluation('n', offset)) {
                reserved++;
            }
        }
        assertTrue(reserved > 1200 && reserved < 1300, "reserved of 2,500: " + reserved);

        writeAnimals(200);
        WordNetGlosses g = WordNetGlosses.load(dir.resolve("corpus/wordnet"));
        assertFalse(g.synsets().isEmpty());
        assertTrue(g.synsets().size() < 130 && g.synsets().size() > 70, "loaded of 200: " + g.synsets().size());
        assertTrue(g.synsets().stream().noneMatch(s -> WordNetGlosses.reservedForEvaluation(s.pos(), s.offset())));
    }

    @Test
    void glossarySectionsHoldOnlyTrainingSynsetsAndAnswerFromTheirEntries() throws IOException {
        List<String> lines = writeAnimals(200);
        WordNetGlosses g = WordNetGlosses.fromCorpus(dir.resolve("corpus")).orElseThrow();
        ProgrammaticSynth synth = new ProgrammaticSynth(9, Optional.of(g));
        assertTrue(synth.lessons().contains("glossary"));
        List<Document> glossaries = synth.documents(0, 300).filter(d -> "glossary".equals(d.metadata().get("lesson"))).toList();
        assertTrue(glossaries.size() > 10, "glossary sections: " + glossaries.size());
        for (String line : lines) {
            long offset = Long.parseLong(line.substring(0, 8));
            String word = line.split(" ")[4];
            if (WordNetGlosses.reservedForEvaluation('n', offset)) {
                for (Document d : glossaries) {
                    assertFalse(d.text().contains("**" + word + "**"), "reserved synset " + word + " in " + d.id());
                }
            }
        }
        Document first = glossaries.get(0);
        assertTrue(first.text().startsWith("# Glossary: Animals"), first.text());
    }

    /** {@code corpus/wordnet} whose data.noun holds {@code n} animal synsets (lexicographer file 05). */
    private List<String> writeAnimals(int n) throws IOException {
        Path wordnet = Files.createDirectories(dir.resolve("corpus/wordnet"));
        List<String> lines = new ArrayList<>();
        lines.add("  1 This software and database is being provided to you, the LICENSEE, by  ");
        for (int i = 0; i < n; i++) {
            long offset = 1_500_000 + i * 97L;
            String word = "beast" + Integer.toString(i, 36).toUpperCase(Locale.ROOT);
            lines.add(String.format("%08d 05 n 02 %s 0 %s_kin 0 000 | an animal of the kind number %d; \"the %s grazed\"  ",
                    offset, word, word, i, word));
        }
        Files.write(wordnet.resolve("data.noun"), lines, StandardCharsets.ISO_8859_1);
        return lines.subList(1, lines.size());
    }
}
