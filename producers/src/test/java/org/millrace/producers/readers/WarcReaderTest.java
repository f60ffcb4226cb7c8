package org.millrace.producers.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.netpreserve.jwarc.HttpRequest;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

/** WARC and WET files written with jwarc's writer, read back; damaged ones reported. */
class WarcReaderTest {
    @TempDir
    Path dir;

    static final String QUEUES = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Queues — Notes</title>"
            + "</head><body><div class=\"nav\"><a href=\"/\">Home</a> » <a href=\"/ds/\">Data structures</a></div>"
            + "<h1>Queues</h1><p>A queue hands out items in the order they arrived: first in, first out. "
            + "Enqueue appends at the tail; dequeue removes at the head; both take O(1) time.</p>"
            + "<footer>© 2024 Example Notes</footer></body></html>\n";
    static final String CAFE = "<html><head><title>Café crème</title></head><body><p>Le café crème se boit le matin, "
            + "à la française.</p></body></html>\n";
    static final String SMART = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
            + "<title>Quotes</title></head><body><p>\u201cSmart quotes\u201d \u2014 and a dash.</p></body></html>\n";
    static final String NOTE = "Plain text resource: the archive's own notes.\n";

    private static HttpResponse html(String body, Charset charset, String contentType) {
        return new HttpResponse.Builder(200, "OK")
                .body(MediaType.parse(contentType), body.getBytes(charset)).build();
    }

    /** A crawl of three pages, an image, a 404 and a text resource, with requests and warcinfo around them. */
    static List<URI> writeCrawl(Path file, WarcCompression compression) throws IOException {
        List<URI> ids = new java.util.ArrayList<>();
        try (WarcWriter w = new WarcWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                compression)) {
            w.write(new Warcinfo.Builder().filename(file.getFileName().toString())
                    .fields(Map.of("software", List.of("millrace-test"))).build());
            Instant t = Instant.parse("2024-05-01T10:00:00Z");
            Object[][] pages = {
                {"https://notes.example.org/ds/queues.html", html(QUEUES, StandardCharsets.UTF_8, "text/html; charset=utf-8")},
                {"https://cafe.example.fr/", html(CAFE, StandardCharsets.ISO_8859_1, "text/html; charset=ISO-8859-1")},
                {"https://quotes.example.com/", html(SMART, Charset.forName("windows-1252"), "text/html")},
                {"https://notes.example.org/logo.png", new HttpResponse.Builder(200, "OK")
                        .body(MediaType.parse("image/png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13}).build()},
                {"https://notes.example.org/missing.html", new HttpResponse.Builder(404, "Not Found")
                        .body(MediaType.HTML, "<h1>Not found</h1>".getBytes(StandardCharsets.UTF_8)).build()},
            };
            for (Object[] page : pages) {
                URI uri = URI.create((String) page[0]);
                w.write(new WarcRequest.Builder(uri).date(t).body(new HttpRequest.Builder("GET", uri.getPath().isEmpty() ? "/" : uri.getPath())
                        .addHeader("Host", uri.getHost()).build()).build());
                WarcResponse response = new WarcResponse.Builder(uri).date(t).body((HttpResponse) page[1]).build();
                ids.add(response.id());
                w.write(response);
            }
            WarcResource resource = new WarcResource.Builder(URI.create("urn:notes:1")).date(t)
                    .body(MediaType.PLAIN_TEXT, NOTE.getBytes(StandardCharsets.UTF_8)).build();
            ids.add(resource.id());
            w.write(resource);
        }
        return ids;
    }

    @ParameterizedTest
    @EnumSource(value = WarcCompression.class, names = {"NONE", "GZIP"})
    void responsesWithTextPayloadsBecomeDocuments(WarcCompression compression) throws IOException {
        Path file = dir.resolve(compression == WarcCompression.GZIP ? "crawl.warc.gz" : "crawl.warc");
        List<URI> ids = writeCrawl(file, compression);

        Collected c = Collected.read(Readers.forPath(file, ReaderOptions.defaults().withSource("crawl")));
        Map<String, Document> byUrl = c.byUrl();
        assertEquals(Map.of("https://notes.example.org/ds/queues.html", QUEUES, "https://cafe.example.fr/", CAFE,
                        "https://quotes.example.com/", SMART, "urn:notes:1", NOTE),
                byUrl.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text())));
        Document queues = byUrl.get("https://notes.example.org/ds/queues.html");
        assertEquals(Document.stableId("crawl", file.getFileName() + "#" + ids.get(0)), queues.id());
        assertEquals("text/html", queues.metadata().get("content_type"));
        assertEquals("response", queues.metadata().get("warc_type"));
        assertEquals(DocumentKind.WEB, queues.kind());
        assertEquals("text/plain", byUrl.get("urn:notes:1").metadata().get("content_type"));

        assertEquals(2, c.skips().size(), c.skips().toString());
        assertTrue(c.skips().get(0).reason().startsWith("payload type image/png"), c.skips().toString());
        assertTrue(c.skips().get(1).reason().startsWith("HTTP status 404"), c.skips().toString());
        assertTrue(c.skips().stream().allMatch(s -> s.record() > 0), "records are numbered");
    }

    @Test
    void wetConversionRecordsAreText() throws IOException {
        Path file = dir.resolve("CC-MAIN-test.warc.wet.gz");
        String[] texts = {"Queues\nA queue hands out items in the order they arrived.", "Café crème\nLe café crème se boit le matin."};
        try (WarcWriter w = new WarcWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                WarcCompression.GZIP)) {
            w.write(new Warcinfo.Builder().filename(file.getFileName().toString()).build());
            for (int i = 0; i < texts.length; i++) {
                w.write(new WarcConversion.Builder().setHeader("WARC-Target-URI", "https://site.example/" + i)
                        .date(Instant.now()).body(MediaType.PLAIN_TEXT, texts[i].getBytes(StandardCharsets.UTF_8)).build());
            }
        }
        Collected c = Collected.read(Readers.forPath(file, ReaderOptions.defaults()));
        assertEquals(List.of(texts), c.documents().stream().map(Document::text).collect(Collectors.toList()));
        assertEquals("https://site.example/1", c.documents().get(1).url());
        assertEquals("conversion", c.documents().get(1).metadata().get("warc_type"));
        assertTrue(c.skips().isEmpty(), c.skips().toString());
    }

    @ParameterizedTest
    @EnumSource(value = WarcCompression.class, names = {"NONE", "GZIP"})
    void aTruncatedWarcYieldsTheRecordsBeforeTheCutAndOneReport(WarcCompression compression) throws IOException {
        Path whole = dir.resolve("whole.warc");
        writeCrawl(whole, compression);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve(compression == WarcCompression.GZIP ? "cut.warc.gz" : "cut.warc");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));

        Collected c = Collected.read(Readers.forPath(cut, ReaderOptions.defaults()));
        List<SkipReport> truncated = c.skips().stream().filter(s -> s.reason().startsWith("truncated or corrupt WARC"))
                .collect(Collectors.toList());
        assertEquals(1, truncated.size(), c.skips().toString());
        assertTrue(truncated.get(0).record() > 1, "the report names the record where the damage is");
        assertTrue(c.documents().size() >= 1 && c.documents().size() < 4, "documents before the cut: " + c.documents().size());
        assertEquals(QUEUES, c.documents().get(0).text());
    }

    @Test
    void aWarcNextToOtherFilesInADirectoryIsReadByItsName() throws IOException {
        writeCrawl(dir.resolve("crawl.warc.gz"), WarcCompression.GZIP);
        Files.writeString(dir.resolve("notes.txt"), NOTE);
        Collected c = Collected.read(Readers.forPath(dir, ReaderOptions.defaults()));
        assertEquals(5, c.documents().size());
    }
}
