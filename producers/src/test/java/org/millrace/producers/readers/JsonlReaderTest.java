package org.millrace.producers.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;

/** JSON Lines in the shapes Dolma and datatrove write, gzipped or not, with bad lines among them. */
class JsonlReaderTest {
    @TempDir
    Path dir;

    static final String DOLMA = "{\"id\":\"doc-17\",\"text\":\"The mitochondria is the powerhouse of the cell.\","
            + "\"source\":\"peS2o\",\"added\":\"2023-03-21T00:00:00Z\",\"created\":\"2019-01-01\","
            + "\"metadata\":{\"year\":2019,\"fields\":[\"biology\"]}}";
    static final String DATATROVE = "{\"text\":\"Kafka keeps records in partitions.\",\"id\":\"<urn:uuid:0f1>\","
            + "\"media\":[],\"metadata\":{\"url\":\"https://kafka.example/docs\",\"dump\":\"CC-MAIN-2024-10\"}}";
    static final String MILLRACE = "{\"id\":\"x\",\"text\":\"def f(): return 1\",\"source\":\"mine\",\"kind\":\"code\","
            + "\"url\":\"file:f.py\"}";

    @Test
    void dolmaDatatroveAndOwnShapes() throws IOException {
        Path file = dir.resolve("part-0000.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(String.join("\n", DOLMA, "", DATATROVE, MILLRACE, "{\"text\":\"no id here\"}").getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        Collected c = Collected.read(Readers.forPath(file, ReaderOptions.defaults()));
        assertTrue(c.skips().isEmpty(), c.skips().toString());
        List<Document> d = c.documents();
        assertEquals(4, d.size());

        assertEquals("The mitochondria is the powerhouse of the cell.", d.get(0).text());
        assertEquals("peS2o", d.get(0).source());
        assertEquals(Document.stableId("peS2o", "part-0000.jsonl.gz#id=doc-17"), d.get(0).id());
        assertEquals(Map.of("year", 2019, "fields", List.of("biology"), "added", "2023-03-21T00:00:00Z",
                "created", "2019-01-01", "original_id", "doc-17"), d.get(0).metadata());
        assertEquals(DocumentKind.WEB, d.get(0).kind());

        assertEquals("https://kafka.example/docs", d.get(1).url());
        assertEquals("part-0000.jsonl.gz", d.get(1).source(), "no source field: the file name");
        assertEquals("CC-MAIN-2024-10", d.get(1).metadata().get("dump"));

        assertEquals(DocumentKind.CODE, d.get(2).kind());
        assertEquals("file:f.py", d.get(2).url());

        assertEquals(Document.stableId("part-0000.jsonl.gz", "part-0000.jsonl.gz#line=5"), d.get(3).id(),
                "no id: the line number, counting the blank line");
    }

    @Test
    void forcedSourceAndKindWin() throws IOException {
        Path file = dir.resolve("a.jsonl");
        Files.writeString(file, MILLRACE + "\n");
        Document d = Collected.read(Readers.forPath(file, ReaderOptions.defaults().withSource("forced")
                .withKind(DocumentKind.TEXTBOOK))).documents().get(0);
        assertEquals("forced", d.source());
        assertEquals(DocumentKind.TEXTBOOK, d.kind());
    }

    @Test
    void malformedLinesAreReportedWithTheirNumberAndTheRestIsRead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String[] lines = {
            DOLMA,                                         // 1 ok
            "{\"text\": \"unterminated",                   // 2 malformed JSON
            "[1, 2, 3]",                                   // 3 not an object
            "{\"id\": 4}",                                 // 4 no text
            "{\"text\": 42}",                              // 5 text not a string
            null,                                          // 6 invalid UTF-8
            "{\"text\": \"ok\", \"kind\": \"poetry\"}",    // 7 unknown kind
            "{\"text\": \"" + "x".repeat(300) + "\"}",     // 8 longer than twice the cap
            "{\"text\": \"   \"}",                         // 9 empty text
            "{\"text\": \"nul\\u0000inside\"}",            // 10 binary
            DATATROVE,                                     // 11 ok
        };
        for (String line : lines) {
            if (line == null) {
                b.write("{\"text\": \"caf".getBytes(StandardCharsets.UTF_8));
                b.write(0xE9); // Latin-1 é
                b.write("\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                b.write(line.getBytes(StandardCharsets.UTF_8));
            }
            b.write('\n');
        }
        Path file = dir.resolve("bad.jsonl");
        Files.write(file, b.toByteArray());

        ReaderOptions small = new ReaderOptions(null, null, 100, 0.05);
        Collected c = Collected.read(Readers.forPath(file, small));
        assertEquals(2, c.documents().size(), c.skips().toString());
        Map<Long, String> reasons = c.skips().stream().collect(Collectors.toMap(SkipReport::record, SkipReport::reason));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), reasons.keySet().stream().sorted().collect(Collectors.toList()));
        assertTrue(reasons.get(2L).startsWith("malformed JSON"), reasons.get(2L));
        assertEquals("line is not a JSON object", reasons.get(3L));
        assertEquals("no string field \"text\"", reasons.get(4L));
        assertEquals("no string field \"text\"", reasons.get(5L));
        assertEquals("invalid UTF-8 at byte offset 13", reasons.get(6L));
        assertTrue(reasons.get(7L).startsWith("field \"kind\": kind must be one of"), reasons.get(7L));
        assertTrue(reasons.get(8L).contains("longer than twice millrace.ingest.max-document-bytes = 100"), reasons.get(8L));
        assertEquals("empty document", reasons.get(9L));
        assertTrue(reasons.get(10L).startsWith("binary content"), reasons.get(10L));
    }

    @Test
    void aTruncatedGzipFileKeepsItsFirstLinesAndIsReported() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            for (int i = 0; i < 2000; i++) {
                out.write(("{\"text\":\"line " + i + " of a long shard, with some words to compress\"}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] all = gz.toByteArray();
        Path file = dir.resolve("shard.jsonl.gz");
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        Collected c = Collected.read(Readers.forPath(file, ReaderOptions.defaults()));
        assertEquals(1, c.skips().size(), c.skips().toString());
        assertTrue(c.skips().get(0).reason().startsWith("reading stopped (truncated or corrupt file)"), c.skips().toString());
        assertTrue(c.documents().size() > 100 && c.documents().size() < 2000, "read " + c.documents().size());
        assertEquals(c.documents().size() + 1, c.skips().get(0).record(), "the report names the first line not read");
    }

    @Test
    void textAfterTheObjectAndFieldsGivenTwiceMakeALineMalformed() throws IOException {
        Path file = dir.resolve("strict.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"text\":\"kept\"} trailing words\n"
                + "{\"id\":\"b\",\"text\":\"one\",\"text\":\"two\"}\n{\"id\":\"c\",\"text\":\"fine\"}\n");
        Collected c = Collected.read(Readers.forPath(file, ReaderOptions.defaults()));
        assertEquals(List.of("fine"), c.documents().stream().map(Document::text).toList());
        assertEquals(2, c.skips().size(), c.skips().toString());
        assertEquals(1, c.skips().get(0).record());
        assertTrue(c.skips().get(0).reason().startsWith("malformed JSON"), c.skips().get(0).reason());
        assertEquals(2, c.skips().get(1).record());
        assertTrue(c.skips().get(1).reason().contains("Duplicate field 'text'"), c.skips().get(1).reason());
    }
}
