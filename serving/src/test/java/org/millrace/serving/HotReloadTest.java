package org.millrace.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Json;
import org.millrace.training.TrainingLoop;

/** A newer checkpoint is swapped in while requests run: none fails, each finishes on the model it started with. */
class HotReloadTest {

    @Test
    void swapWhileRequestsRunFailsNoneAndFreesTheOldModelAfterItsLastRequest(@TempDir Path dir) throws Exception {
        try (ServingFixture fixture = new ServingFixture(dir, ServingFixture.settings())) {
            ServedModel first = fixture.slot.current().orElseThrow();
            List<String> failures = new CopyOnWriteArrayList<>();
            Set<String> modelsSeen = ConcurrentHashMap.newKeySet();
            List<String> done = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new java.util.ArrayList<>();
            for (int c = 0; c < 4; c++) {
                boolean stream = c % 2 == 0;
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            String body = "{\"prompt\": \"reload\", \"max_tokens\": 30, \"temperature\": 0.7"
                                    + (stream ? ", \"stream\": true}" : "}");
                            HttpResponse<String> r = fixture.post("/v1/completions", body);
                            String model = check(r, stream);
                            modelsSeen.add(model);
                            done.add(model);
                        } catch (Exception | AssertionError e) {
                            failures.add(e.toString());
                        }
                    }
                }, "client-" + c);
                t.start();
                clients.add(t);
            }
            await(() -> done.size() >= 4, "requests on the first model");

            Path second = TestCheckpoints.write(fixture.checkpoints, "test", 2, TestCheckpoints.TINY, 8);
            fixture.reloader.offer(second);
            await(() -> fixture.slot.current().orElseThrow().step() == 2, "the second checkpoint served");
            int before = done.size();
            await(() -> done.subList(before, done.size()).stream().filter("test:step-2"::equals).count() >= 4,
                    "requests on the second model");
            running.set(false);
            for (Thread t : clients) {
                t.join(60_000);
            }
            assertEquals(List.of(), failures);
            assertEquals(Set.of("test:step-1", "test:step-2"), modelsSeen);
            await(() -> !first.isOpen(), "the replaced model closed once its requests finished");
            assertEquals("test:step-2", ServingFixture.json(fixture.get("/v1/models")).get("data").get(0).get("id").asText());

            // an older checkpoint is not served, and a broken one leaves the current model in place
            int loads = fixture.reloader.loads();
            fixture.reloader.offer(fixture.checkpoints.resolve("test").resolve("step-00000001"));
            Path broken = TestCheckpoints.write(fixture.checkpoints, "test", 3, TestCheckpoints.TINY, 9);
            Files.write(TrainingLoop.parametersFile(broken), new byte[] {1, 2, 3});
            fixture.reloader.offer(broken);
            await(() -> fixture.reloader.lastFailure().isPresent(), "the broken checkpoint refused");
            assertEquals(loads, fixture.reloader.loads());
            assertEquals(2, fixture.slot.current().orElseThrow().step());
            assertEquals(200, fixture.post("/v1/completions", "{\"prompt\": \"still\", \"max_tokens\": 3}").statusCode());
            assertFalse(fixture.slot.current().isEmpty());
        }
    }

    /** Checks one answer and returns the model that generated it (every chunk of a stream names the same one). */
    private static String check(HttpResponse<String> r, boolean stream) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        if (!stream) {
            JsonNode body = Json.MAPPER.readTree(r.body());
            int generated = body.get("usage").get("completion_tokens").asInt();
            assertTrue(generated >= 1 && generated <= 30, r.body());
            return body.get("model").asText();
        }
        List<String> events = CompletionsApiTest.events(r.body());
        assertEquals("[DONE]", events.get(events.size() - 1));
        Set<String> models = new java.util.HashSet<>();
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.MAPPER.readTree(e);
            assertFalse(chunk.has("error"), e);
            models.add(chunk.get("model").asText());
        }
        assertEquals(1, models.size(), "one stream, one model: " + models);
        return models.iterator().next();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
