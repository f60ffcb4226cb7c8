package org.millrace.processing.decontamination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.common.evalsets.EvalItem;

class DecontaminationFilterTest {
    private static final String PASSAGE = "It is a way I have of driving off the spleen and regulating the circulation whenever I find myself "
            + "growing grim about the mouth";
    private static final String COMMON = "permission is hereby granted free of charge to any person obtaining a copy of this software";

    private static DecontaminationSettings settings(boolean dropPartial) {
        return new DecontaminationSettings(13, 7, 0.5, 0.8, dropPartial, List.of(), true, List.of(), false);
    }

    private static DecontaminationFilter filter(boolean dropPartial, List<String> allow) {
        Map<String, List<EvalItem>> tasks = Map.of(
                "bpb_prose", List.of(EvalItem.text("chapter_1.txt", "moby-dick", "id1", PASSAGE + ". " + COMMON + " and more words here.")),
                "quiz", List.of(EvalItem.choice("bard:1:1", "quiz", null, "the quality of mercy is not strained it droppeth",
                        "Quiz: bard\nline: The quality of mercy is not strain'd\nnext:", List.of(" It droppeth", " No"), 0)));
        return new DecontaminationFilter(ContaminationIndex.of(settings(dropPartial), tasks, allow), settings(dropPartial));
    }

    private static Document doc(String text) {
        return Document.of("d", text, "web", DocumentKind.WEB);
    }

    @Test
    void aSharedThirteenGramMarksTheDocumentContaminatedAndCountsItsBenchmark() {
        long before = DecontaminationMetrics.INSTANCE.count("bpb_prose", "contaminated");
        Verdict v = filter(false, List.of()).apply(doc("A blog post. As Ishmael said: it is a way i have of DRIVING off the spleen, "
                + "and regulating the circulation... Then more of the blog."));
        Verdict.Drop drop = assertInstanceOf(Verdict.Drop.class, v);
        assertEquals("contaminated", drop.reason());
        assertTrue(drop.detail().contains("bpb_prose") && drop.detail().contains("13-gram"), drop.detail());
        assertEquals(before + 1, DecontaminationMetrics.INSTANCE.count("bpb_prose", "contaminated"));
    }

    @Test
    void thirteenGramsOnTheAllowListDoNotCount() {
        Document licence = doc("MIT licence: " + COMMON + ", to deal in the Software without restriction.");
        assertInstanceOf(Verdict.Drop.class, filter(false, List.of()).apply(licence), "without the allow-list the licence text is shared");
        assertInstanceOf(Verdict.Keep.class, filter(false, List.of(COMMON)).apply(licence));
    }

    @Test
    void shortItemsAreJudgedByTheShareOfTheirSevenGramsAgainstTwoThresholds() {
        // the quiz item's passage has 9 words: three 7-grams, no 13-gram
        Document all = doc("In the play: the quality of mercy is not strained, it droppeth as the gentle rain.");
        Verdict.Drop drop = assertInstanceOf(Verdict.Drop.class, filter(false, List.of()).apply(all));
        assertEquals(1.0, drop.score(), 1e-9);
        assertTrue(drop.detail().contains("item bard:1:1 of evaluation task quiz"), drop.detail());

        Document twoOfThree = doc("they said: the quality of mercy is not strained, it seems");
        long partialBefore = DecontaminationMetrics.INSTANCE.count("quiz", "partial");
        Verdict.Keep keep = assertInstanceOf(Verdict.Keep.class, filter(false, List.of()).apply(twoOfThree));
        assertEquals(2.0 / 3, keep.score(), 1e-9, "2 of the item's 3 seven-grams: partial, kept and counted");
        assertEquals(partialBefore + 1, DecontaminationMetrics.INSTANCE.count("quiz", "partial"));
        assertEquals("partially_contaminated",
                assertInstanceOf(Verdict.Drop.class, filter(true, List.of()).apply(twoOfThree)).reason());

        assertInstanceOf(Verdict.Keep.class, filter(false, List.of()).apply(doc("the quality of mercy is a fine thing")));
    }
}
