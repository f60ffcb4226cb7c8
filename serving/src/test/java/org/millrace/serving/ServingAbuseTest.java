package org.millrace.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server abused: malformed HTTP on a raw socket, malformed JSON, bodies far over the limit,
 * hundreds of idle connections and a burst of requests many times over capacity. Each gets its answer
 * (4xx, or 429 with Retry-After), none hangs, the server answers a normal request afterwards, and its
 * memory does not grow with the abuse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingAbuseTest {
    /** One sequence generating, two waiting: a burst of {@link #BURST} is 30 times the capacity. */
    static final int BURST = 96;
    static final int IDLE_CONNECTIONS = 300;
    static final int IDLE_TIMEOUT_SECONDS = 4;
    @TempDir
    static Path dir;
    static ServingFixture fixture;
    static long heapBefore;
    static long rssBefore;

    @BeforeAll
    static void start() throws Exception {
        // connections that send nothing for 4 s are closed (generations here take milliseconds)
        Config config = ConfigFactory.parseMap(Map.of("millrace.serving.http.idle-timeout", IDLE_TIMEOUT_SECONDS + "s"))
                .withFallback(ConfigFactory.load());
        fixture = new ServingFixture(dir, new ServingSettings("127.0.0.1", 0, "", 32 * 1024, 64, 8, 2, 1, 1, Duration.ZERO,
                Duration.ofSeconds(60), Duration.ofSeconds(3), Duration.ofSeconds(1)), config);
        assertEquals(200, completion().statusCode(), "warm-up");
        heapBefore = heapAfterGc();
        rssBefore = rssKb();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    @Order(1)
    void malformedHttpIsAnsweredWithA4xxOrAClosedConnection() throws Exception {
        Map<String, String> requests = new LinkedHashMap<>();
        // (a request line shorter than the longest method, 16 characters, and without a space is incomplete to
        // pekko-http's parser: it waits for more, as for any idle connection, until idle-timeout)
        requests.put("garbage request line", "GARBAGE_WITHOUT_ANY_SPACE\r\n\r\n");
        requests.put("header without a colon", "GET /healthz HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n");
        requests.put("URI of 20,000 characters", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        requests.put("200 headers", "GET /healthz HTTP/1.1\r\nHost: a\r\n" + "X-H: v\r\n".repeat(200) + "\r\n");
        requests.put("header value of 64 KB", "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: " + "v".repeat(65_536) + "\r\n\r\n");
        requests.put("unknown HTTP version", "GET /healthz HTTP/7.1\r\nHost: a\r\n\r\n");
        requests.put("negative Content-Length", "POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n");
        requests.put("bad chunk size", "POST /v1/completions HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        requests.put("chunk of 16 MB announced", "POST /v1/completions HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1000000\r\n{}");
        requests.put("Content-Length twice, differing", "POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n"
                + "Content-Length: 40\r\n\r\n{}");
        Map<String, String> answers = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : requests.entrySet()) {
            String status;
            try {
                status = rawExchange(e.getValue().getBytes(StandardCharsets.ISO_8859_1));
            } catch (AssertionError noAnswer) {
                throw new AssertionError(e.getKey() + ": " + noAnswer.getMessage(), noAnswer);
            }
            answers.put(e.getKey(), status);
            assertTrue(status.startsWith("HTTP/1.1 4") || status.startsWith("HTTP/1.1 5") && !status.startsWith("HTTP/1.1 500")
                    || status.equals("closed"), e.getKey() + " → " + status);
        }
        byte[] binary = new byte[8192];
        new Random(3).nextBytes(binary);
        answers.put("8 KB of random bytes", rawExchange(binary));
        System.out.println("malformed HTTP: " + answers);
        assertTrue(answers.get("URI of 20,000 characters").startsWith("HTTP/1.1 414"), answers.toString());
        assertTrue(answers.get("header value of 64 KB").startsWith("HTTP/1.1 431"), answers.toString());
        assertTrue(answers.get("200 headers").startsWith("HTTP/1.1 400"), answers.toString());
        assertTrue(answers.get("unknown HTTP version").startsWith("HTTP/1.1 505"), answers.toString());
        assertEquals(200, fixture.get("/healthz").statusCode(), "the server stays up");
    }

    @Test
    @Order(2)
    void malformedJsonIs400() throws Exception {
        String[] bodies = {"", "{", "{\"prompt\": \"a\"} trailing", "[".repeat(10_000) + "]".repeat(10_000),
            "{\"prompt\": \"a\", \"prompt\": \"b\"}", "{\"prompt\": \"\\ud800\"}", "{\"prompt\": 1e999999999}",
            "{\"prompt\": [[[[[[1]]]]]]}", "{\"prompt\": \"a\", \"max_tokens\": 99999999999999999999}"};
        for (String body : bodies) {
            HttpResponse<String> r = fixture.post("/v1/completions", body);
            assertEquals(400, r.statusCode(), abbreviated(body) + " → " + r.body());
            assertTrue(ServingFixture.json(r).get("error").get("message").asText().length() > 5, r.body());
        }
        byte[] invalidUtf8 = "{\"prompt\": \"\u00ff\u00fe\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> r = fixture.client.send(fixture.request("/v1/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(invalidUtf8)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    @Order(3)
    void aGigabyteBodyIs413WithoutTheServerReadingIt() throws Exception {
        long start = System.nanoTime();
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: "
                    + (1L << 30) + "\r\n\r\n{\"prompt\": \"").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(statusLine(s.getInputStream()).startsWith("HTTP/1.1 413"));
        }
        // a chunked body has no length to refuse up front: it is cut at the limit
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write("POST /v1/completions HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("4000\r\n" + "z".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            String status = null;
            try {
                for (int i = 0; i < 64 * 1024 && status == null; i++) { // up to 1 GB, stopped by the answer
                    out.write(chunk);
                    if (s.getInputStream().available() > 0) {
                        status = statusLine(s.getInputStream());
                    }
                }
            } catch (SocketException closedByServer) {
                // the server answered and closed while we were still sending
            }
            if (status == null) {
                status = statusLine(s.getInputStream());
            }
            assertTrue(status.startsWith("HTTP/1.1 413"), status);
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "refused without reading a gigabyte");
        assertEquals(200, completion().statusCode(), "the server stays up");
    }

    @Test
    @Order(4)
    void hundredsOfIdleConnectionsDoNotStopNormalRequests() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                Socket s = socket();
                if (i % 2 == 0) {
                    s.getOutputStream().write("POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{"
                            .getBytes(StandardCharsets.US_ASCII)); // a body that never comes
                }
                idle.add(s);
            }
            assertEquals(200, fixture.get("/healthz").statusCode());
            assertEquals(200, completion().statusCode(), "a normal request among " + IDLE_CONNECTIONS + " idle connections");
            // the server closes every one of them after idle-timeout: read() sees the end of the stream
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(IDLE_TIMEOUT_SECONDS + 20);
            int closed = 0;
            for (Socket s : idle) {
                s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                String answer = statusLine(s.getInputStream());
                assertTrue(answer.equals("closed") || answer.startsWith("HTTP/1.1 408"), "idle connection: " + answer);
                closed++;
            }
            assertEquals(IDLE_CONNECTIONS, closed);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertEquals(200, completion().statusCode());
    }

    @Test
    @Order(5)
    void aBurstFarOverCapacityIs429WithRetryAfterAndNothingHangs() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            burst.add(fixture.client.sendAsync(fixture.request("/v1/completions").timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\": \"burst " + i + "\", \"max_tokens\": 32, \"temperature\": 0}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            HttpResponse<String> r = f.get(90, TimeUnit.SECONDS);
            if (r.statusCode() == 429) {
                refused++;
                assertEquals("3", r.headers().firstValue("Retry-After").orElse(null), "Retry-After of " + r.body());
            } else {
                assertEquals(200, r.statusCode(), r.body());
                ok++;
            }
        }
        System.out.println("burst of " + BURST + ": " + ok + " served, " + refused + " refused with 429");
        // how many fit depends on how fast generation is against how fast the burst arrives; that some are
        // refused at once and every one is answered does not
        assertTrue(refused >= 1, "a burst 30× over capacity is partly refused: " + refused);
        assertTrue(ok >= 1, "what fits is served");
        assertEquals(BURST, ok + refused);
        assertEquals(0, fixture.server.engine().queued(), "nothing left queued");
        assertEquals(200, completion().statusCode(), "the server serves normally afterwards");
    }

    @Test
    @Order(6)
    void memoryDoesNotGrowWithTheAbuse() throws Exception {
        long heapAfter = heapAfterGc();
        long rssAfter = rssKb();
        System.out.printf("serving abuse: heap after GC %d → %d MB, RSS %d → %d MB%n", heapBefore >> 20, heapAfter >> 20,
                rssBefore >> 10, rssAfter >> 10);
        assertTrue(heapAfter - heapBefore < 32L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MB");
        assertTrue(rssAfter - rssBefore < 256L << 10, "RSS grew by " + ((rssAfter - rssBefore) >> 10) + " MB");
    }

    private static HttpResponse<String> completion() throws IOException, InterruptedException {
        return fixture.post("/v1/completions", "{\"prompt\": \"hello\", \"max_tokens\": 4}");
    }

    private static Socket socket() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", fixture.server.address().getPort()), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** Sends {@code request} on a new connection; the status line of the answer, or "closed". */
    private static String rawExchange(byte[] request) throws IOException {
        try (Socket s = socket()) {
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (SocketException closedEarly) {
                // the server may answer and close before reading everything
            }
            return statusLine(s.getInputStream());
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.write(b);
            }
        } catch (SocketException reset) {
            // closed by the server
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 20 s", e);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1).strip();
        return s.isEmpty() ? "closed" : s;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static String abbreviated(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
