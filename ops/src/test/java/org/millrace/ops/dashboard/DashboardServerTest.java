package org.millrace.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millrace.common.Json;

/** The dashboard over real HTTP: the page, its library, the token, and ticks on the event stream. */
class DashboardServerTest {
    private static final String TOKEN = "s3cret-token";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter steps = Counter.builder().name("millrace_train_steps_total").help("steps").labelNames("run").register(registry);
    private final Gauge loss = Gauge.builder().name("millrace_train_loss").help("loss").labelNames("run").register(registry);
    private final Counter filtered = Counter.builder().name("millrace_curation_filter_documents_total").help("verdicts")
            .labelNames("filter", "outcome", "reason").register(registry);
    private final HttpClient http = HttpClient.newHttpClient();
    private DashboardFeed feed;
    private DashboardServer server;

    @BeforeEach
    void start() {
        feed = DashboardFeed.start(registry, ClusterView.singleNode(List.of("train")), Duration.ofMillis(50), 100);
        server = DashboardServer.start(new DashboardSettings(true, "127.0.0.1", 0, TOKEN, Duration.ofMillis(50), 100), feed);
    }

    @AfterEach
    void stop() {
        server.close();
        feed.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsChartLibraryOnlyWithTheToken() throws Exception {
        assertEquals(401, get("/dashboard").statusCode());
        assertEquals(401, get("/dashboard?token=wrong").statusCode());
        assertEquals(401, get("/dashboard/events", "Authorization", "Bearer wrong").statusCode());

        HttpResponse<String> page = get("/dashboard?token=" + TOKEN);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<canvas id=\"chart-loss\">"), page.body());
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("millrace_dashboard_token=" + TOKEN + ";"), cookie);

        HttpResponse<String> lib = get("/dashboard/lib/chart.umd.js", "Cookie", cookie.substring(0, cookie.indexOf(';')));
        assertEquals(200, lib.statusCode());
        assertTrue(lib.body().startsWith("/*!\n * Chart.js v4"), "the webjar's Chart.js: " + lib.body().substring(0, 40));
        assertEquals("text/javascript; charset=utf-8", lib.headers().firstValue("Content-Type").orElseThrow());

        HttpResponse<String> script = get("/dashboard/dashboard.js", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("new EventSource('/dashboard/events')"));
        assertEquals(404, get("/dashboard/nothing", "Authorization", "Bearer " + TOKEN).statusCode());
    }

    @Test
    void theEventStreamSendsTheHistoryThenTicksThatFollowTheRegistry() throws Exception {
        filtered.labelValues("size", "kept", "").inc(7);
        filtered.labelValues("size", "dropped", "too_short").inc(2);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/dashboard/events"))
                .header("Authorization", "Bearer " + TOKEN).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertEquals("history", nextEvent(events).path("event").asText());
            loss.labelValues("r1").set(2.5);
            steps.labelValues("r1").inc(3);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            JsonNode tick;
            do {
                assertTrue(System.nanoTime() < deadline, "no tick showed step 3 within 10 s");
                JsonNode e = nextEvent(events);
                tick = e.path("event").asText().equals("tick") ? e.path("data") : null;
            } while (tick == null || tick.path("train").path("step").asLong() != 3);
            assertEquals("r1", tick.path("train").path("run").asText());
            assertEquals(2.5, tick.path("train").path("loss").asDouble());
            assertEquals(7, tick.path("funnel").path("size").path("kept").asLong());
            assertEquals(2, tick.path("funnel").path("size").path("dropped").asLong());
            assertEquals("single node", tick.path("cluster").path("mode").asText());
        }
        JsonNode history = Json.MAPPER.readTree(get("/dashboard/history", "Authorization", "Bearer " + TOKEN).body());
        assertFalse(history.path("ticks").isEmpty());
        assertEquals(3, history.path("steps").get(history.path("steps").size() - 1).path("step").asLong());
    }

    /** The next event of the stream as {"event": name, "data": parsed JSON}. */
    private static JsonNode nextEvent(BufferedReader in) throws Exception {
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            } else if (line.isEmpty() && name != null) {
                var node = Json.MAPPER.createObjectNode();
                node.put("event", name);
                node.set("data", Json.MAPPER.readTree(data.toString()));
                return node;
            }
        }
        throw new AssertionError("the event stream ended");
    }
}
