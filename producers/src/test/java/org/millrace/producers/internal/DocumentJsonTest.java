package org.millrace.producers.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.DocumentKind;

/** The publisher's document JSON decodes to the same document, and matches the codec's bytes within the BMP. */
class DocumentJsonTest {

    @Test
    void everyKindOfCharacterRoundTripsThroughTheCodec() {
        Random r = new Random(1);
        String alphabet = "abc XYZ 019 \"quoted\" back\\slash \t\n\r\f\b \u0001\u001f\u007f é ß € 中文 \u2028 </script> ";
        for (int i = 0; i < 500; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0, n = r.nextInt(300); j < n; j++) {
                text.append(alphabet.charAt(r.nextInt(alphabet.length())));
                if (r.nextInt(40) == 0) {
                    text.appendCodePoint(0x1F600 + r.nextInt(40)); // outside the BMP
                }
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("content_type", "text/plain");
            metadata.put("n", i);
            if (i % 2 == 0) {
                metadata.put("nested", Map.of("list", List.of(1, "two", 3.5), "quote", "say \"hi\""));
            } else { // flat: written by hand, not by Jackson
                metadata.put("key \"" + i + "\"\n", text.codePoints().limit(30)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
                metadata.put("big", 1L << 40);
                metadata.put("flag", i % 3 == 0);
            }
            Document d = new Document(Document.stableId("s", "doc" + i), text.toString(), "source \"" + i + "\"",
                    DocumentKind.values()[i % 4], i % 3 == 0 ? null : "https://example.org/a?b=\"" + i + "\"", metadata);
            byte[] json = DocumentJson.encode(d);
            assertEquals(d, DocumentCodec.decode(json), "document " + i);
            if (text.codePoints().allMatch(Character::isBmpCodePoint)) {
                assertArrayEquals(DocumentCodec.encode(d), json, () -> new String(json, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void escapesAreFoundAtEveryPositionOfAnEightByteBlock() {
        for (int length = 0; length < 40; length++) {
            for (int at = 0; at < length; at++) {
                for (char c : new char[] {'"', '\\', '\n', '\u0001', '\u001f', ' ', '\u007f', 'é'}) {
                    char[] chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN".substring(0, length).toCharArray();
                    chars[at] = c;
                    Document d = new Document("id", new String(chars), "src", DocumentKind.CODE, "u", Map.of("k", new String(chars)));
                    assertArrayEquals(DocumentCodec.encode(d), DocumentJson.encode(d), "length " + length + ", " + (int) c + " at " + at);
                }
            }
        }
    }

    @Test
    void textsReadFromFilesAreEncodedFromTheBytesTheyCameFromAndOthersAsUsual(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("a.txt"), "plain \"ascii\"\n");
        java.nio.file.Files.writeString(dir.resolve("b.md"), "# Überschrift\n\n“quoted” € 中文\n");
        java.nio.file.Files.write(dir.resolve("c.txt"), ("\uFEFFwith a byte order mark\n").getBytes(StandardCharsets.UTF_8));
        java.util.List<Document> read = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Document> docs = org.millrace.producers.readers.Readers.forPath(dir,
                org.millrace.producers.readers.ReaderOptions.defaults()).documents(r -> { })) {
            docs.forEach(d -> {
                assertArrayEquals(DocumentCodec.encode(d), DocumentJson.encode(d), d.url()); // right after reading: the memo
                read.add(d);
            });
        }
        assertEquals(3, read.size());
        for (Document d : read) { // later, on another document's memo: encoded from the text
            assertArrayEquals(DocumentCodec.encode(d), DocumentJson.encode(d), d.url());
            assertEquals(d, DocumentCodec.decode(DocumentJson.encode(d)));
        }
    }

    @Test
    void emptyMetadataAndEmptyTextAreWrittenToo() {
        Document d = Document.of("id-1", "", "src", DocumentKind.WEB);
        assertArrayEquals(DocumentCodec.encode(d), DocumentJson.encode(d));
        assertEquals("{\"id\":\"id-1\",\"text\":\"\",\"source\":\"src\",\"kind\":\"web\",\"metadata\":{}}",
                new String(DocumentJson.encode(d), StandardCharsets.UTF_8));
    }

    @Test
    void largeTextsFullOfEscapesAndSmallOnesAfterThemAreWrittenExactly() {
        // sizes around and far beyond the encoder's reused scratch array; texts that are all escapes grow it 6-fold
        for (int size : new int[] {16 * 1024 - 90, 16 * 1024, 40_000, 300_000, (1 << 20) + 7, 5}) {
            for (String unit : new String[] {"\u0001", "\"\n", "plain text, "}) {
                String text = unit.repeat(size / unit.length() + 1);
                Document d = new Document("id-" + size, text, "src", DocumentKind.WEB, null, Map.of("k", unit));
                assertArrayEquals(DocumentCodec.encode(d), DocumentJson.encode(d), "size " + size + " of " + (int) unit.charAt(0));
            }
        }
    }
}
