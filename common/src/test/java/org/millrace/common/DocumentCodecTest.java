package org.millrace.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentCodecTest {

    @Test
    void roundTripsEveryField() {
        Document doc = new Document("d1", "Héllo, wörld ✓\nline two", "moby-dick", DocumentKind.TEXTBOOK,
                "file:///x", Map.of("licence", "public domain", "chapter", 3));
        Document back = DocumentCodec.decode(DocumentCodec.encode(doc));
        assertEquals(doc, back);
    }

    @Test
    void writesTheDolmaShape() {
        String json = new String(DocumentCodec.encode(Document.of("a", "t", "s", DocumentKind.CODE)), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"kind\":\"code\""), json);
        assertTrue(json.contains("\"id\":\"a\""), json);
    }

    @Test
    void readsDatatroveLinesWithExtraFields() {
        byte[] line = "{\"id\":\"x\",\"text\":\"abc\",\"source\":\"s\",\"kind\":\"web\",\"added\":\"2024\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("abc", DocumentCodec.decode(line).text());
    }

    @Test
    void rejectsBadRecordsWithAReason() {
        assertReason("{\"id\":\"x\",\"source\":\"s\",\"kind\":\"web\"}", "text");
        assertReason("{\"id\":\"x\",\"text\":\"t\",\"source\":\"s\",\"kind\":\"poetry\"}", "kind must be one of");
        assertReason("{not json", "not a valid Document");
        assertReason("", "empty record");
        byte[] invalidUtf8 = {'{', '"', 'i', (byte) 0xC3, (byte) 0x28, '"', '}'};
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> DocumentCodec.decode(invalidUtf8));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void stableIdsDependOnSourceAndLocator() {
        assertEquals(Document.stableId("a", "b"), Document.stableId("a", "b"));
        assertNotEquals(Document.stableId("a", "b"), Document.stableId("ab", ""));
        assertEquals(32, Document.stableId("a", "b").length());
    }

    private static void assertReason(String json, String expected) {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> DocumentCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
