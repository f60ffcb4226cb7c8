package org.millrace.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The bad-input corpus: the small files of the test resources ({@code bad-input/}) copied, and the big or
 * pathological ones generated (a 100 MB single line is not a file to commit). {@link #expectedSkips()}
 * names, per file, a fragment of the reason its skip report must give.
 */
final class BadInputCorpus {
    /** Uncompressed size of the HTTP payload of the gzip bomb (never decoded in full). */
    static final long HTTP_BOMB_BYTES = 8L << 30;
    /** Uncompressed size of the WARC record of the gzip bomb (the reader decompresses it to skip it). */
    static final long RECORD_BOMB_BYTES = 1L << 30;
    static final int NESTING = 100_000;
    static final long BIG_LINE_BYTES = 100L * 1024 * 1024;
    private static final int BOMB_MEMBER_BYTES = 64 * 1024 * 1024;
    /** Ordinary prose that passes every filter: the good line after the 100 MB one is curated. */
    private static final String GOOD_TEXT = "The old mill stood at the bend of the river, where the water ran fast over "
            + "a bed of smooth stones.\\nEvery morning the miller opened the sluice and watched the wheel begin to turn, "
            + "slowly at first and then with a steady rhythm that shook the wooden floor.\\nFarmers from the valley "
            + "brought their grain in carts, and while they waited they talked about the weather, the prices at the "
            + "market and the new bridge that the town was planning to build.\\nIn winter the river sometimes froze "
            + "along its edges, and the miller had to break the ice with a long iron bar before the work could start.\\n"
            + "His daughter kept the accounts in a leather book, writing down each sack by weight and by owner.\\n"
            + "When the harvest was good the mill worked late into the evening, and its lamps could be seen from the "
            + "hills on the other side of the water.";
    private static final String PARAGRAPH = "The river turned the mill wheel all day long, and the miller ground the grain "
            + "that the farmers brought from the valley. In the evening he counted the sacks, wrote the numbers into "
            + "his book and walked home along the water. ";

    private BadInputCorpus() {
    }

    /** Writes the corpus into {@code dir} (created); returns the bytes written. */
    static long write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path resources;
        try {
            resources = Path.of(BadInputCorpus.class.getResource("/bad-input").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> files = Files.list(resources)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        }
        bigSingleLine(dir.resolve("big-single-line.txt"));
        hugeJsonlLine(dir.resolve("huge-line.jsonl"));
        nearCap(dir.resolve("near-cap.txt"));
        deepHtml(dir.resolve("deep-nesting.html"));
        deepJson(dir.resolve("deep-nesting.jsonl"));
        gzipBombWarc(dir.resolve("gzip-bomb.warc.gz"));
        truncatedWarc(dir.resolve("truncated.warc.gz"));
        long bytes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                bytes += Files.size(f);
            }
        }
        return bytes;
    }

    /** File (or file:line) → a fragment of the reason of its skip report. */
    static Map<String, String> expectedSkips() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("invalid-utf8.txt", "invalid UTF-8 at byte offset");
        m.put("nul-bytes.md", "NUL byte");
        m.put("image-named.html", "binary content");
        m.put("program-named.txt", "binary content");
        m.put("control-chars.txt", "control characters");
        m.put("empty.txt", "empty document");
        m.put("blank.md", "empty document");
        m.put("big-single-line.txt", "larger than millrace.ingest.max-document-bytes");
        m.put("huge-line.jsonl:1", "longer than twice millrace.ingest.max-document-bytes");
        m.put("deep-nesting.jsonl:1", "malformed JSON");
        m.put("malformed.jsonl:1", "malformed JSON");
        m.put("malformed.jsonl:2", "not a JSON object");
        m.put("malformed.jsonl:3", "no string field \"text\"");
        m.put("malformed.jsonl:4", "no string field \"text\"");
        m.put("malformed.jsonl:5", "malformed JSON");
        m.put("malformed.jsonl:6", "malformed JSON"); // text after the object
        m.put("malformed.jsonl:7", "field \"kind\"");
        m.put("malformed.jsonl:8", "unpaired UTF-16 surrogate");
        m.put("malformed.jsonl:9", "NUL character");
        m.put("malformed.jsonl:10", "empty document");
        m.put("malformed.jsonl:11", "empty document");
        m.put("malformed.jsonl:12", "invalid UTF-8");
        m.put("malformed.jsonl:13", "no string field \"text\"");
        m.put("malformed.jsonl:14", "not a JSON object");
        m.put("malformed.jsonl:16", "Duplicate field 'text'");
        m.put("gzip-bomb.warc.gz:1", "larger than millrace.ingest.max-document-bytes");
        m.put("gzip-bomb.warc.gz:2", "larger than millrace.ingest.max-document-bytes");
        m.put("truncated.warc.gz:3", "truncated or corrupt WARC");
        return m;
    }

    /** Documents the readers publish: the rest of the corpus, which curation must keep or reject with a reason. */
    static int expectedDocuments() {
        // malformed.jsonl: ok-short; languages.jsonl: 9; near-cap, deep-nesting.html; huge-line.jsonl: its
        // second line; gzip bomb: the page after the bombs; truncated WARC: the 2 records before the cut
        return 1 + 9 + 1 + 1 + 1 + 1 + 2;
    }

    private static void bigSingleLine(Path file) throws IOException {
        byte[] chunk = repeat("lorem ipsum dolor sit amet ", 1 << 20);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long n = 0; n < BIG_LINE_BYTES; n += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, BIG_LINE_BYTES - n));
            }
        }
    }

    /** A 100 MB JSON line (a string that never ends within the cap), then a good line. */
    private static void hugeJsonlLine(Path file) throws IOException {
        byte[] chunk = repeat("word ", 1 << 20);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("{\"id\": \"huge\", \"text\": \"".getBytes(StandardCharsets.UTF_8));
            for (long n = 0; n < BIG_LINE_BYTES; n += chunk.length) {
                out.write(chunk);
            }
            out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write(("{\"id\": \"after-huge\", \"text\": \"" + GOOD_TEXT + "\"}\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * One line of prose just under the 4 MiB document cap: read, published, and rejected by gopher-quality as
     * too long (as a .md textbook document it would pass every filter and be packed into a thousand batches,
     * which costs tens of seconds of this test's time for no further finding).
     */
    private static void nearCap(Path file) throws IOException {
        byte[] text = repeat(PARAGRAPH, 4 * 1024 * 1024 - 4096);
        Files.write(file, text);
    }

    private static void deepHtml(Path file) throws IOException {
        StringBuilder html = new StringBuilder(NESTING * 12 + 1000).append("<!doctype html><html><body>");
        for (int i = 0; i < NESTING; i++) {
            html.append(i % 2 == 0 ? "<div>" : "<span>");
        }
        html.append("<p>").append(PARAGRAPH).append("</p>");
        for (int i = NESTING - 1; i >= 0; i--) {
            html.append(i % 2 == 0 ? "</div>" : "</span>");
        }
        Files.writeString(file, html.append("</body></html>\n"));
    }

    private static void deepJson(Path file) throws IOException {
        Files.writeString(file, "{\"id\": \"deep\", \"text\": \"x\", \"metadata\": " + "[".repeat(NESTING)
                + "]".repeat(NESTING) + "}\n");
    }

    /**
     * Three records: a response whose HTTP payload is gzip ({@code Content-Encoding}) expanding to 8 GiB,
     * a resource record of 1 GiB of zeros (its WARC gzip members expand to it), then an ordinary page.
     * Written from one compressed 64 MiB member repeated, which a gzip reader joins.
     */
    private static void gzipBombWarc(Path file) throws IOException {
        byte[] zeros = gzip(new byte[BOMB_MEMBER_BYTES]);
        try (OutputStream out = Files.newOutputStream(file)) {
            long httpMembers = HTTP_BOMB_BYTES / BOMB_MEMBER_BYTES;
            String http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
                    + "Content-Length: " + (zeros.length * httpMembers) + "\r\n\r\n";
            long length = http.length() + zeros.length * httpMembers;
            // the HTTP body is the gzip data itself: one WARC gzip member holds it (compressed once more)
            ByteArrayOutputStream record = new ByteArrayOutputStream();
            record.write((warcHeader("response", "http://bomb.example/http", "application/http; msgtype=response", length)
                    + http).getBytes(StandardCharsets.UTF_8));
            for (long i = 0; i < httpMembers; i++) {
                record.write(zeros);
            }
            record.write("\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            out.write(gzip(record.toByteArray()));
            out.write(gzip(warcHeader("resource", "http://bomb.example/record", "text/plain", RECORD_BOMB_BYTES)));
            for (long i = 0; i < RECORD_BOMB_BYTES / BOMB_MEMBER_BYTES; i++) {
                out.write(zeros);
            }
            out.write(gzip("\r\n\r\n"));
            out.write(gzip(response("http://bomb.example/after", "<html><body><p>" + PARAGRAPH + "</p></body></html>")));
        }
    }

    /** Three records, the file cut in the middle of the third. */
    private static void truncatedWarc(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= 3; i++) {
            out.write(gzip(response("http://truncated.example/" + i, "<html><body><p>" + i + " " + PARAGRAPH.repeat(i)
                    + "</p></body></html>")));
        }
        byte[] all = out.toByteArray();
        int third = all.length - gzip(response("http://truncated.example/3", "<html><body><p>3 " + PARAGRAPH.repeat(3)
                + "</p></body></html>")).length;
        Files.write(file, Arrays.copyOf(all, third + (all.length - third) / 2));
    }

    private static String response(String url, String html) {
        String http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                + html.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + html;
        return warcHeader("response", url, "application/http; msgtype=response", http.getBytes(StandardCharsets.UTF_8).length)
                + http + "\r\n\r\n";
    }

    private static String warcHeader(String type, String url, String contentType, long length) {
        return "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + url + "\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
                + "WARC-Record-ID: <urn:uuid:" + java.util.UUID.nameUUIDFromBytes(url.getBytes(StandardCharsets.UTF_8))
                + ">\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static byte[] gzip(String s) {
        return gzip(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] repeat(String unit, int bytes) {
        byte[] u = unit.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = u[i % u.length];
        }
        return out;
    }
}
