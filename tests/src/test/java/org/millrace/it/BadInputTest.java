package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Json;
import org.millrace.common.Rejection;
import org.millrace.common.Topics;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.TopicReader;

/**
 * The bad-input corpus ({@link BadInputCorpus}: invalid UTF-8, NUL bytes, binaries named .txt/.html, a
 * 100 MB single line, HTML nested 100,000 deep, a gzip bomb inside a WARC, a truncated WARC, malformed,
 * deeply nested and 100 MB JSON lines, empty documents, eight scripts and languages) ingested and curated
 * against a real broker, in a child JVM with a small heap and direct-memory limit: every bad input is a
 * skip report naming its file (and line or record) with a reason, every published document comes out of
 * curation exactly once as curated or as rejected with a filter and a reason, and the child finishes
 * normally within the memory bounds.
 */
class BadInputTest {
    /** Heap of the child: a fraction of the 100 MB line and the 8 GiB bomb, so neither may be held. */
    static final String MAX_HEAP = "-Xmx256m";
    static final String MAX_DIRECT = "-XX:MaxDirectMemorySize=64m";
    /**
     * Peak resident memory of the child allowed: heap 256 MB + metaspace, code cache, thread stacks,
     * RocksDB block cache (64 MiB) and direct buffers; measured at 300-450 MB.
     */
    static final long MAX_RSS_KB = 640 * 1024;

    @TempDir
    Path dir;

    @Test
    void everyBadInputIsASkipOrARejectionAndMemoryStaysBounded() throws Exception {
        Path corpus = dir.resolve("corpus");
        long written = BadInputCorpus.write(corpus);
        assertTrue(written > 2 * BadInputCorpus.BIG_LINE_BYTES, "corpus of " + written + " bytes");
        String prefix = "badinput";
        Topics topics = new Topics(prefix, List.of("web", "textbook", "code", "synthetic"));
        List<ListeningSockets.Listener> before = ListeningSockets.ofThisProcess();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dir.resolve("broker")))) {
            assertBrokerListensOnLoopbackOnly(broker, before);
            ChildOutput out = runChild(broker.bootstrapServers(), corpus, dir.resolve("data"), prefix);

            // every bad input is reported, where it is and why
            for (Map.Entry<String, String> e : BadInputCorpus.expectedSkips().entrySet()) {
                String reason = out.skips.get(e.getKey());
                assertNotNull(reason, "no skip report for " + e.getKey() + "; reports: " + out.skips.keySet());
                assertTrue(reason.contains(e.getValue()), e.getKey() + ": " + reason);
            }
            assertEquals(BadInputCorpus.expectedSkips().keySet(), out.skips.keySet(), "no other skips");
            assertEquals(BadInputCorpus.expectedDocuments(), out.published, "documents published");

            // every published document comes out of curation once, curated or rejected with a reason
            Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
            Duration timeout = Duration.ofSeconds(30);
            Set<String> published = new HashSet<>();
            for (String topic : List.of(topics.docsWeb(), topics.docsSynthetic())) {
                TopicReader.readAll(kafka, topic, timeout).forEach(r -> published.add(r.key()));
            }
            assertEquals(out.published, published.size());
            List<String> outcomes = new ArrayList<>();
            TopicReader.readAll(kafka, topics.curated(), timeout).forEach(r -> outcomes.add(r.key()));
            Map<String, Rejection> rejected = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, topics.rejected(), timeout)) {
                Rejection rejection = Json.read(r.value(), Rejection.class);
                assertFalse(rejection.filter() == null || rejection.filter().isBlank(), "filter of " + rejection);
                assertFalse(rejection.reason() == null || rejection.reason().isBlank(), "reason of " + rejection);
                assertFalse(rejection.filter().equals("decode") || rejection.reason().startsWith("filter_failed"),
                        "no record undecodable, no filter failing: " + rejection);
                rejected.put(r.key(), rejection);
                outcomes.add(r.key());
            }
            assertEquals(published.size(), outcomes.size(), "one outcome per document: " + outcomes);
            assertEquals(published, new HashSet<>(outcomes));
            assertEquals(1, outcomes.size() - rejected.size(), "the one good document among them is curated");
            assertTrue(rejected.values().stream().anyMatch(r -> r.filter().equals("language")),
                    "documents in other languages are rejected by the language filter: " + rejected.values());
            Map<String, Long> byFilter = new java.util.TreeMap<>();
            rejected.values().forEach(r -> byFilter.merge(r.filter() + ": " + r.reason().split(":")[0], 1L, Long::sum));
            System.out.println("bad input: rejections by filter and reason " + byFilter + "; curated "
                    + (outcomes.size() - rejected.size()));
            System.out.printf("bad input: %d MB corpus, %d skips, %d published, %d rejected; child peaks: heap %d MB, "
                            + "direct %d MB, Arrow %d KB, RSS %d MB; ingest %d ms, curation %d ms, child %d s%n", written >> 20, out.skips.size(),
                    out.published, rejected.size(), out.peaks.get("HEAP_PEAK") >> 20, out.peaks.get("DIRECT_PEAK") >> 20,
                    out.peaks.get("ARROW_PEAK") >> 10, out.peaks.get("RSS_PEAK_KB") >> 10, out.peaks.get("INGEST_MS"), out.peaks.get("CURATION_MS"), out.seconds);
            assertTrue(out.peaks.get("RSS_PEAK_KB") > 0 && out.peaks.get("RSS_PEAK_KB") < MAX_RSS_KB,
                    "peak RSS " + out.peaks.get("RSS_PEAK_KB") + " kB within " + MAX_RSS_KB + " kB");
        }
    }

    /**
     * The embedded broker with its defaults listens (client and controller) on 127.0.0.1 only: by the kernel's
     * list of this process's listening sockets, and by connecting on the machine's other address.
     */
    private static void assertBrokerListensOnLoopbackOnly(EmbeddedKafkaBroker broker, List<ListeningSockets.Listener> before)
            throws IOException {
        List<ListeningSockets.Listener> opened = ListeningSockets.ofThisProcess();
        opened.removeAll(before);
        assertTrue(opened.stream().anyMatch(l -> l.port() == broker.port()), broker.port() + " in " + opened);
        assertTrue(opened.size() >= 2, "client and controller listeners: " + opened);
        for (ListeningSockets.Listener l : opened) {
            assertTrue(l.loopback(), l + " of the embedded broker binds to loopback; all: " + opened);
            java.util.Optional<java.net.InetAddress> other = ListeningSockets.nonLoopbackAddress();
            if (other.isPresent()) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(other.get(), l.port()), 3000);
                    throw new AssertionError(l + " is reachable on " + other.get());
                } catch (java.net.ConnectException refused) {
                    // loopback only
                }
            }
        }
        System.out.println("bad input: embedded broker listens on " + opened);
    }

    /** What the child printed: skip reports by file[:record], documents published, memory peaks. */
    record ChildOutput(Map<String, String> skips, long published, Map<String, Long> peaks, long seconds) {
    }

    private static ChildOutput runChild(String bootstrap, Path corpus, Path dataDir, String prefix)
            throws IOException, InterruptedException {
        Path stdout = dataDir.resolveSibling("child.out");
        Path stderr = dataDir.resolveSibling("child.err");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                MAX_HEAP, MAX_DIRECT, "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
                "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BadInputRun.class.getName(),
                bootstrap, corpus.toString(), dataDir.toString(), prefix);
        long start = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            boolean exited = child.waitFor(150, TimeUnit.SECONDS);
            String err = Files.exists(stderr) ? tail(Files.readString(stderr)) : "";
            assertTrue(exited, "the child did not finish within 150 s; stderr: " + err);
            List<String> lines = Files.readAllLines(stdout);
            assertEquals(0, child.exitValue(), "the child exits normally; stdout: " + lines + "; stderr: " + err);
            assertTrue(lines.contains("DONE"), "the child ran to the end: " + lines);
            Map<String, String> skips = new LinkedHashMap<>();
            Map<String, Long> peaks = new HashMap<>();
            long published = -1;
            for (String line : lines) {
                String[] f = line.split("\t");
                switch (f[0]) {
                    case "SKIP" -> {
                        assertEquals(4, f.length, "skip report with file, record and reason: " + line);
                        assertNull(skips.put(f[2].equals("0") ? f[1] : f[1] + ":" + f[2], f[3]), "reported twice: " + line);
                    }
                    case "PUBLISHED" -> published = Long.parseLong(f[1]);
                    case "HEAP_PEAK", "DIRECT_PEAK", "ARROW_PEAK", "RSS_PEAK_KB", "INGEST_MS", "CURATION_MS" ->
                            peaks.put(f[0], Long.parseLong(f[1]));
                    default -> { }
                }
            }
            return new ChildOutput(skips, published, peaks, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        } finally {
            child.destroyForcibly();
        }
    }

    private static void assertNull(Object o, String message) {
        org.junit.jupiter.api.Assertions.assertNull(o, message);
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
