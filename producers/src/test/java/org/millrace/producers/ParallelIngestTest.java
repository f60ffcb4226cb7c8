package org.millrace.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipReport;

/** Ingestion on several threads yields exactly what the sequential read yields, skips included. */
class ParallelIngestTest {
    @TempDir
    Path dir;

    private void corpus() throws IOException {
        for (int i = 0; i < 40; i++) {
            Path sub = Files.createDirectories(dir.resolve("part-" + (i % 4)));
            Files.writeString(sub.resolve("doc-" + i + ".md"), "# Note " + i + "\n\nSome text, " + "word ".repeat(i * 50),
                    StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("lines.jsonl"), "{\"id\":\"a\",\"text\":\"first line\"}\nnot json\n{\"id\":\"b\",\"text\":\"second\"}\n");
        Files.write(dir.resolve("part-1/broken.txt"), new byte[] {'o', 'k', (byte) 0xC3, 0x28});
        Files.write(dir.resolve("part-2/image.txt"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        Files.writeString(dir.resolve("part-3/notes.unknown"), "no reader for this");
    }

    private record Run(Map<String, String> byId, Set<String> skips, IngestStats stats) {
    }

    private Run ingest(int threads) {
        Map<String, String> byId = new ConcurrentHashMap<>();
        Set<String> skips = Collections.synchronizedSet(new TreeSet<>());
        IngestListener listener = new IngestListener() {
            @Override
            public void skipped(SkipReport report) {
                skips.add(report.toString());
            }
        };
        DocumentSink sink = d -> {
            if (byId.put(d.id(), d.text()) != null) {
                throw new AssertionError("document " + d.id() + " twice");
            }
        };
        IngestStats stats = new Ingest(Duration.ofMillis(5), threads, listener).run(Readers.forPath(dir, ReaderOptions.defaults()), sink);
        return new Run(byId, skips, stats);
    }

    @Test
    void fourThreadsReadTheSameDocumentsWithTheSameIdsAndReportTheSameSkips() throws IOException {
        corpus();
        Run sequential = ingest(1);
        Run parallel = ingest(4);
        assertEquals(42, sequential.byId().size());
        assertEquals(sequential.byId(), parallel.byId());
        assertEquals(sequential.skips(), parallel.skips());
        assertEquals(4, parallel.skips().size(), parallel.skips().toString());
        assertEquals(sequential.stats().bytes(), parallel.stats().bytes());
        assertEquals(4, parallel.stats().skipped());
        for (Run r : List.of(sequential, parallel)) { // the reading threads' CPU time: spent, and no more than they had
            assertTrue(r.stats().readingCpu().toNanos() > 0, r.stats().toString());
            assertTrue(r.stats().readingCpu().compareTo(r.stats().elapsed().multipliedBy(4)) <= 0, r.stats().readingCpu().toString());
        }
        assertEquals(Document.stableId(dir.getFileName().toString(), "part-3/doc-7.md"),
                parallel.byId().keySet().stream().filter(id -> parallel.byId().get(id).startsWith("# Note 7\n")).findFirst().orElseThrow());
    }

    @Test
    void aLargeArchiveIsReadInPartsThatTogetherYieldEveryEntryOnce() throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(dir.resolve("src.zip")))) {
            zip.setMethod(java.util.zip.ZipOutputStream.STORED);
            for (int i = 0; i < 60; i++) {
                byte[] body = ("// file " + i + "\n" + "int x = 1;\n".repeat(9000)).getBytes(StandardCharsets.UTF_8);
                var e = new java.util.zip.ZipEntry("pkg/File" + i + ".java");
                crc.reset();
                crc.update(body);
                e.setSize(body.length);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(body);
                zip.closeEntry();
            }
        }
        assertTrue(Files.size(dir.resolve("src.zip")) > 5_000_000);
        assertEquals(2, Readers.forPath(dir, ReaderOptions.defaults()).split().size(), "a 6 MB archive in two parts");
        Run sequential = ingest(1);
        Run parallel = ingest(2);
        assertEquals(60, parallel.byId().size());
        assertEquals(sequential.byId(), parallel.byId());
        assertTrue(parallel.byId().containsKey(Document.stableId(dir.getFileName().toString(), "src.zip!/pkg/File59.java")));
    }

    @Test
    void theLargestFilesAreReadFirst() throws IOException {
        corpus();
        List<String> order = Readers.forPath(dir, ReaderOptions.defaults()).split().stream()
                .map(r -> Path.of(r.describe()).getFileName().toString()).collect(Collectors.toCollection(ArrayList::new));
        assertEquals("doc-39.md", order.get(0));
        assertEquals(44, order.size(), "one part per file");
    }

    @Test
    void aFailingSinkStopsTheRunWithItsError() throws IOException {
        corpus();
        DocumentSink failing = d -> {
            throw new IllegalStateException("publishing to Kafka failed: broker down");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Ingest(Duration.ofMillis(5), 3, IngestListener.NONE).run(Readers.forPath(dir, ReaderOptions.defaults()), failing));
        assertTrue(e.getMessage().contains("broker down"), e.getMessage());
    }
}
