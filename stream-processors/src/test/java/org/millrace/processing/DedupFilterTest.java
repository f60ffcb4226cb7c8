package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;

class DedupFilterTest {
    @TempDir
    Path dir;

    static String sample(String name) throws IOException {
        try (InputStream in = DedupFilterTest.class.getResourceAsStream("/samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private DedupFilter open() {
        return new DedupFilter(new DedupSettings(dir.resolve("dedup"), 14, 8, 5, 1, 0.0, 8L << 20, 2L << 20, 64, false));
    }

    private static Document doc(String id, String text) {
        return Document.of(id, text, "moby-dick", DocumentKind.WEB);
    }

    /** Every 25th word replaced: about 4% of words, a fifth of the 5-gram shingles. */
    static String edited(String text) {
        String[] words = text.split(" ");
        for (int i = 12; i < words.length; i += 25) {
            words[i] = "harpoon";
        }
        return String.join(" ", words);
    }

    @Test
    void dropsExactAndNearDuplicatesOfRealTextAndKeepsOtherText() throws IOException {
        String chapter1 = sample("moby-dick-chapter-1.txt");
        String chapter2 = sample("moby-dick-chapter-2.txt");
        try (DedupFilter filter = open()) {
            assertInstanceOf(Verdict.Keep.class, filter.apply(doc("c1", chapter1)));
            assertInstanceOf(Verdict.Keep.class, filter.apply(doc("c2", chapter2)));

            String reformatted = chapter1.toUpperCase().replace("\n\n", "\n").replace(", ", " , ");
            Verdict.Drop exact = assertInstanceOf(Verdict.Drop.class, filter.apply(doc("copy", reformatted)));
            assertEquals("exact_duplicate", exact.reason());
            assertTrue(exact.detail().contains("c1"), exact.detail());

            Verdict.Drop near = assertInstanceOf(Verdict.Drop.class, filter.apply(doc("edit", edited(chapter1))));
            assertEquals("near_duplicate", near.reason());
            assertTrue(near.detail().contains("c1"), near.detail());
            assertTrue(near.score() > 0.5 && near.score() < 1.0, "estimated Jaccard " + near.score());

            // A quarter of chapter 2 is far from the whole (Jaccard about 0.25: almost never a shared band).
            String[] words = chapter2.split(" ");
            String firstHalf = String.join(" ", Arrays.copyOf(words, words.length / 4));
            assertInstanceOf(Verdict.Keep.class, filter.apply(doc("quarter", firstHalf)));
        }
    }

    @Test
    void aReplayedDocumentIsItselfNotItsOwnDuplicate() throws IOException {
        String chapter1 = sample("moby-dick-chapter-1.txt");
        try (DedupFilter filter = open()) {
            assertInstanceOf(Verdict.Keep.class, filter.apply(doc("c1", chapter1)));
            // The transaction of c1's group aborted after the store was written: c1 comes again.
            assertInstanceOf(Verdict.Keep.class, filter.apply(doc("c1", chapter1)));
            // A duplicate dropped before the crash is dropped again on replay, citing the same owner.
            Verdict.Drop first = assertInstanceOf(Verdict.Drop.class, filter.apply(doc("edit", edited(chapter1))));
            Verdict.Drop again = assertInstanceOf(Verdict.Drop.class, filter.apply(doc("edit", edited(chapter1))));
            assertEquals(first, again);
        }
    }

    @Test
    void theStateSurvivesClosingAndReopening() throws IOException {
        String chapter1 = sample("moby-dick-chapter-1.txt");
        try (DedupFilter filter = open()) {
            filter.apply(doc("c1", chapter1));
        }
        try (DedupFilter reopened = open()) {
            assertEquals(1, reopened.estimatedDocuments());
            assertInstanceOf(Verdict.Keep.class, reopened.apply(doc("c1", chapter1)));
            Verdict.Drop exact = assertInstanceOf(Verdict.Drop.class, reopened.apply(doc("later", chapter1 + "\n")));
            assertEquals("exact_duplicate", exact.reason());
            Verdict.Drop near = assertInstanceOf(Verdict.Drop.class, reopened.apply(doc("edit", edited(chapter1))));
            assertEquals("near_duplicate", near.reason());
        }
    }

    @Test
    void aClosedFilterRefusesWork() throws IOException {
        DedupFilter filter = open();
        filter.close();
        filter.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> filter.apply(doc("x", sample("moby-dick-chapter-2.txt"))));
    }
}
