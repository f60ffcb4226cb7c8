package org.millrace.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full queue is answered 429 with Retry-After at once; nothing piles up. */
class OverloadTest {

    @Test
    void requestsBeyondTheQueueAre429WithRetryAfter(@TempDir Path dir) throws Exception {
        // one sequence generates, one request waits; anything more is refused
        ServingSettings settings = new ServingSettings("127.0.0.1", 0, "", 32 * 1024, 120, 8, 1, 1, 1, Duration.ZERO,
                Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(1));
        try (ServingFixture fixture = new ServingFixture(dir, settings)) {
            // a long streamed generation holds the only slot; its first event shows it is generating
            HttpResponse<InputStream> holder = fixture.client.send(fixture.request("/v1/completions")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\": \"hold\", \"max_tokens\": 120, \"temperature\": 0, \"stream\": true}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader events = new BufferedReader(new InputStreamReader(holder.body(), StandardCharsets.UTF_8));
            assertTrue(events.readLine().startsWith("data: "));

            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                burst.add(fixture.client.sendAsync(fixture.request("/v1/completions").POST(HttpRequest.BodyPublishers
                        .ofString("{\"prompt\": \"burst\", \"max_tokens\": 4}")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> f : burst) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 429) {
                    refused++;
                    assertEquals("2", r.headers().firstValue("Retry-After").orElseThrow());
                    assertEquals("rate_limit_exceeded", ServingFixture.json(r).get("error").get("code").asText());
                } else {
                    assertEquals(200, r.statusCode(), r.body());
                }
            }
            assertTrue(refused >= 1, "a burst beyond one slot and one queue place is refused");
            assertTrue(refused <= 5, "the queued request is served");
            String line;
            String last = null;
            while ((line = events.readLine()) != null) {
                if (!line.isEmpty()) {
                    last = line;
                }
            }
            assertEquals("data: [DONE]", last, "the holder finished normally");
            assertEquals(0, fixture.server.engine().queued());
        }
    }
}
