package org.millrace.ops.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;

class TextSampleTest {
    @Test
    void theBudgetHoldsAndTheLastTextIsCutBetweenCharacters() {
        TextSample s = TextSample.take(List.of("abc", "dé🎉f", "never read").iterator(), 8);
        assertEquals(List.of("abc", "dé"), s.texts(), "the emoji's 4 bytes would pass the budget of 8");
        assertEquals(6, s.bytes());
        assertEquals(s.bytes(), String.join("", s.texts()).getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void eachSourceGetsItsShare() {
        List<Document> docs = List.of(doc("a", "1111"), doc("a", "2222"), doc("a", "3333"), doc("b", "xxxx"), doc("b", "yyyy"));
        TextSample s = TextSample.takePerSource(docs.iterator(), 12, 2);
        assertEquals(List.of("1111", "22", "xxxx", "yy"), s.texts());
    }

    private static Document doc(String source, String text) {
        return Document.of(source + text, text, source, DocumentKind.WEB);
    }
}
