package org.millrace.ops.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.processing.LabelledText;
import org.millrace.producers.readers.ReaderOptions;

class ClassifierSeedsTest {
    @TempDir
    Path corpus;

    @Test
    void labelsManualsAndDocumentedCodePositiveAndSpamChatterAndIndexPagesNegative() throws IOException {
        MiniCorpus.write(corpus);
        List<LabelledText> seeds = ClassifierSeeds.read(corpus, ReaderOptions.defaults());
        Map<String, Long> positives = seeds.stream().filter(LabelledText::positive)
                .collect(Collectors.groupingBy(LabelledText::source, Collectors.counting()));
        Map<String, Long> negatives = seeds.stream().filter(s -> !s.positive())
                .collect(Collectors.groupingBy(LabelledText::source, Collectors.counting()));
        assertEquals(Map.of("python-doc-rst", 24L, "postgresql-doc", 24L, "openjdk-src", 24L, "python-stdlib", 24L), positives,
                "undocumented code is no seed");
        assertEquals(Map.of("spam-assassin", 24L, "nlp-corpus", 72L, "python-doc-html", 24L), negatives,
                "ham mail and the manual's content pages are no seeds");
        // Chatter lines are grouped by their text, so the held-out split keeps a text's lines together.
        assertEquals(12, seeds.stream().filter(s -> s.source().equals("nlp-corpus")).map(LabelledText::group).distinct().count());
        assertTrue(seeds.stream().filter(s -> s.source().equals("spam-assassin")).allMatch(s -> s.group().contains("spam-1")));
        assertFalse(seeds.stream().anyMatch(s -> s.text().contains("Undocumented")));
    }
}
