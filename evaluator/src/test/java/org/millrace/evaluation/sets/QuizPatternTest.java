package org.millrace.evaluation.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuizPatternTest {
    @Test
    void canonicalFormsTakeFirstAlternativesAndEveryOptionalPart() {
        assertEquals("George Washington", QuizPattern.canonical("{G{eorge} }Washington"));
        assertEquals("William I", QuizPattern.canonical("W[illia|]m [I|1|the Conqueror]"));
        assertEquals("forget-me-not", QuizPattern.canonical("forget{-| }me{-| }not"));
        assertEquals("strain'd", QuizPattern.canonical("strain['|e]d"));
        assertEquals("Middle-Earth", QuizPattern.canonical("M[iddle{-}Earth|E]"));
        assertEquals("capital", QuizPattern.canonical("cap{ital}"));
        assertEquals("1.2", QuizPattern.canonical("1\\.2"));
        assertEquals(List.of("lion", "tiger", "bear"), QuizPattern.alternatives("lion|tiger|bear"));
        assertEquals(List.of("Alabama", "Ala", "AL"), QuizPattern.alternatives("Alabama|Ala|AL"));
        assertEquals(List.of("a", "b:c"), QuizItems.split("a:b\\:c").stream().map(QuizPattern::canonical).toList());
    }
}
