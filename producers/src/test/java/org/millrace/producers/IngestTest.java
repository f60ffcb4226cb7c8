package org.millrace.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipReport;

/** Ingestion into a sink, broker-free: counts, bytes, skips and the listener's calls. */
class IngestTest {
    @TempDir
    Path dir;

    @Test
    void countsDocumentsBytesAndSkipsAndFlushesTheSink() throws IOException {
        for (int i = 0; i < 50; i++) {
            Files.writeString(dir.resolve("doc-" + i + ".txt"), "Document " + i + " — with an em dash.\n", StandardCharsets.UTF_8);
        }
        Files.write(dir.resolve("broken.txt"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0x41});
        List<Document> received = new ArrayList<>();
        List<SkipReport> skips = new ArrayList<>();
        List<IngestStats> finished = new ArrayList<>();
        boolean[] flushed = {false};
        DocumentSink sink = new DocumentSink() {
            @Override
            public void accept(Document document) {
                received.add(document);
            }

            @Override
            public void flush() {
                flushed[0] = true;
            }
        };
        IngestListener listener = new IngestListener() {
            @Override
            public void skipped(SkipReport report) {
                skips.add(report);
            }

            @Override
            public void finished(IngestStats total) {
                finished.add(total);
            }
        };
        IngestStats stats = new Ingest(Duration.ofMillis(1), listener).run(Readers.forPath(dir, ReaderOptions.defaults()), sink);

        assertEquals(50, stats.documents());
        assertEquals(50, received.size());
        long expectedBytes = received.stream().mapToLong(d -> d.text().getBytes(StandardCharsets.UTF_8).length).sum();
        assertEquals(expectedBytes, stats.bytes());
        assertEquals(1, stats.skipped());
        assertEquals(1, skips.size());
        assertTrue(skips.get(0).file().endsWith("broken.txt"));
        assertTrue(flushed[0], "the sink is flushed at the end");
        assertEquals(List.of(stats), finished);
        assertTrue(stats.documentsPerSecond() > 0 && stats.megabytesPerSecond() > 0);
    }

    @Test
    void utf8LengthCountsSurrogatePairsAsFourBytes() {
        String s = "a\u00e9\u20ac\uD83D\uDE00";
        assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Ingest.utf8Length(s));
    }
}
