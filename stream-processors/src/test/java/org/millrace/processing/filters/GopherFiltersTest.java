package org.millrace.processing.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.processing.filters.internal.Hashes;

class GopherFiltersTest {
    private static final String MOBY = Samples.text("text/moby-dick-chapter-1.txt").strip();
    private final GopherQualityFilter quality = GopherQualityFilter.fromConfig(Samples.config());
    private final GopherRepetitionFilter repetition = GopherRepetitionFilter.fromConfig(Samples.config());

    private static String reason(Verdict v) {
        return assertInstanceOf(Verdict.Drop.class, v).reason();
    }

    @Test
    void proseChapterPassesBoth() {
        Document d = Samples.doc(MOBY, DocumentKind.WEB);
        assertSame(d, ((Verdict.Keep) quality.apply(d)).document());
        assertSame(d, ((Verdict.Keep) repetition.apply(d)).document());
    }

    @Test
    void qualityRulesEachDropWhatTheyDescribe() {
        String thirtyWords = String.join(" ", List.of(MOBY.split(" ")).subList(0, 30));
        assertEquals("short_doc", reason(quality.apply(Samples.doc(thirtyWords, DocumentKind.WEB))));
        String para = MOBY.substring(MOBY.indexOf("Call me Ishmael"), MOBY.indexOf("There now is"));
        assertEquals("too_many_hashes", reason(quality.apply(Samples.doc(para.replace(" ", " # "), DocumentKind.WEB))));
        assertEquals("too_many_ellipses", reason(quality.apply(Samples.doc(para.replace(" ", " ... "), DocumentKind.WEB))));
        StringBuilder bullets = new StringBuilder();
        StringBuilder trailing = new StringBuilder();
        for (String s : para.split("(?<=[.;]) ")) {
            bullets.append("- ").append(s).append('\n');
            trailing.append(s, 0, s.length() - 1).append(" ...\n");
        }
        assertEquals("too_many_bullets", reason(quality.apply(Samples.doc(bullets.toString(), DocumentKind.WEB))));
        assertEquals("too_many_end_ellipses", reason(quality.apply(Samples.doc(trailing.toString(), DocumentKind.WEB))));
        assertEquals("few_alpha_words", reason(quality.apply(Samples.doc(para.replace(" ", " 42 - "), DocumentKind.WEB))));
        String noStopWords = para.replaceAll("(?i)\\b(the|be|to|of|and|that|have|with)\\b", "");
        assertEquals("few_stop_words", reason(quality.apply(Samples.doc(noStopWords, DocumentKind.WEB))));
        assertEquals("long_words", reason(quality.apply(Samples.doc(para.replaceAll("(\\w+) (\\w+) (\\w+)", "$1$2$3"),
                DocumentKind.WEB))));
    }

    @Test
    void onlyTheConfiguredKindsAreJudged() {
        Document code = Samples.doc("x = 1", DocumentKind.CODE);
        assertSame(code, ((Verdict.Keep) quality.apply(code)).document());
        Document manual = Samples.doc("x = 1", DocumentKind.TEXTBOOK);
        assertSame(manual, ((Verdict.Keep) quality.apply(manual)).document());
        GopherQualityFilter all = GopherQualityFilter.fromConfig(Samples.config(
                "millrace.curation.gopher-quality.kinds = [web, textbook, code, synthetic]"));
        assertEquals("short_doc", reason(all.apply(manual)));
        assertEquals("short_doc", reason(all.apply(code)));
    }

    @Test
    void repeatedParagraphsLinesAndNgramsAreDropped() {
        List<String> paragraphs = List.of(MOBY.split("\n\n"));
        List<String> doubled = new ArrayList<>(paragraphs);
        for (int i = 0; i < paragraphs.size(); i++) {
            doubled.add("Read more.");
        }
        assertEquals("duplicate_paragraphs", reason(repetition.apply(Samples.doc(String.join("\n\n", doubled), DocumentKind.WEB))));
        String longParagraph = paragraphs.get(6); // 1,946 of the chapter's 12,207 characters
        assertEquals("duplicate_paragraph_chars", reason(repetition.apply(Samples.doc(
                String.join("\n\n", paragraphs) + "\n\n" + longParagraph + "\n\n" + longParagraph, DocumentKind.WEB))));
        String lines = String.join("\n", paragraphs) + "\nSubscribe now!\nSubscribe now!\nSubscribe now!\nSubscribe now!"
                + "\nSubscribe now!\nSubscribe now!\nSubscribe now!\nSubscribe now!\nSubscribe now!";
        assertEquals("duplicate_lines", reason(repetition.apply(Samples.doc(lines, DocumentKind.WEB))));
        String spam = paragraphs.get(1) + " " + "buy now ".repeat(200);
        assertEquals("top_2gram", reason(repetition.apply(Samples.doc(spam, DocumentKind.WEB))));
        String echoed = MOBY + " " + MOBY.substring(0, MOBY.length() / 4);
        assertEquals("duplicate_5grams", reason(repetition.apply(Samples.doc(echoed, DocumentKind.WEB))));
    }

    @Test
    void ngramMeasuresMatchDatatroveOnAWorkedExample() {
        // words a b c a b c a b: top 2-gram "a b" occurs 3 times, 3 characters → 9;
        // find_all_duplicate(3): "abc" new, "bca" new, "cab" new, "abc" repeat (+3, jump 3), "ab"... → 3.
        String[] words = {"a", "b", "c", "a", "b", "c", "a", "b"};
        long[] h = new long[words.length];
        int[] len = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            h[i] = Hashes.fnv1a64(words[i]);
            len[i] = words[i].length();
        }
        assertEquals(9, GopherRepetitionFilter.topNgramChars(h, len, 2));
        assertEquals(3, GopherRepetitionFilter.duplicateNgramChars(h, len, 3));
        assertEquals(4, GopherRepetitionFilter.duplicateNgramChars(h, len, 2)); // ab bc ca [ab]+2 jump, [ca]? no: c a→ca +2
        int[] lines = GopherRepetitionFilter.duplicates("x\ny\n\nx\nz", false);
        assertEquals(List.of(1, 1, 4), List.of(lines[0], lines[1], lines[2]));
        int[] paragraphs = GopherRepetitionFilter.duplicates("p one\nl\n\np two\n\n\np one\nl", true);
        assertEquals(List.of(1, 7, 3), List.of(paragraphs[0], paragraphs[1], paragraphs[2]));
    }
}
