package org.millrace.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Json;

/** Completions, streaming and chat over real HTTP against a tiny model. */
class CompletionsApiTest {
    @TempDir
    static Path dir;
    static ServingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ServingFixture(dir, ServingFixture.settings());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void completionAnswersInTheOpenAiShapeWithUsage() throws Exception {
        HttpResponse<String> r = fixture.post("/v1/completions",
                "{\"model\": \"test\", \"prompt\": \"Hello\", \"max_tokens\": 5, \"temperature\": 0}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = ServingFixture.json(r);
        assertEquals("text_completion", body.get("object").asText());
        assertEquals("test:step-1", body.get("model").asText());
        assertTrue(body.get("id").asText().startsWith("cmpl-"));
        JsonNode choice = body.get("choices").get(0);
        assertEquals(0, choice.get("index").asInt());
        assertEquals("length", choice.get("finish_reason").asText());
        assertTrue(choice.get("text").isTextual());
        assertEquals(5, body.get("usage").get("prompt_tokens").asInt());
        assertEquals(5, body.get("usage").get("completion_tokens").asInt());
        assertEquals(10, body.get("usage").get("total_tokens").asInt());
        HttpResponse<String> again = fixture.post("/v1/completions",
                "{\"prompt\": \"Hello\", \"max_tokens\": 5, \"temperature\": 0}");
        assertEquals(choice.get("text").asText(), ServingFixture.json(again).get("choices").get(0).get("text").asText(),
                "greedy decoding is deterministic");
    }

    @Test
    void seededSamplingRepeatsAndPromptListsGiveNChoicesEach() throws Exception {
        String request = "{\"prompt\": [\"ab\", \"xyz\"], \"n\": 3, \"max_tokens\": 12, \"temperature\": 1.0,"
                + " \"top_p\": 0.9, \"top_k\": 50, \"seed\": 42}";
        JsonNode first = ServingFixture.json(fixture.post("/v1/completions", request));
        JsonNode second = ServingFixture.json(fixture.post("/v1/completions", request));
        assertEquals(6, first.get("choices").size());
        for (int i = 0; i < 6; i++) {
            assertEquals(i, first.get("choices").get(i).get("index").asInt());
            assertEquals(first.get("choices").get(i).get("text"), second.get("choices").get(i).get("text"));
        }
        assertEquals(5, first.get("usage").get("prompt_tokens").asInt(), "each prompt counted once");
        assertEquals(72, first.get("usage").get("completion_tokens").asInt());
        assertNotEquals(first.get("choices").get(0).get("text"), first.get("choices").get(1).get("text"),
                "the choices of one prompt draw from different seeds");
        assertTrue(fixture.server.engine().stats().largestBatch() >= 3, "the 3 choices of a prompt share forward passes");
    }

    @Test
    void aRequestArrivingMidwayJoinsTheForwardPassesOfOneAlreadyGenerating() throws Exception {
        java.net.http.HttpResponse<java.io.InputStream> running = fixture.client.send(fixture.request("/v1/completions")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"prompt\": \"x\", \"max_tokens\": 100, \"temperature\": 0, \"stream\": true}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        java.io.BufferedReader events = new java.io.BufferedReader(new java.io.InputStreamReader(running.body(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(events.readLine().startsWith("data: "), "the first request is generating");
        GenerationEngine.Stats before = fixture.server.engine().stats();
        HttpResponse<String> joined = fixture.post("/v1/completions",
                "{\"prompt\": \"a longer prompt\", \"max_tokens\": 5, \"temperature\": 0}");
        GenerationEngine.Stats after = fixture.server.engine().stats();
        assertEquals(200, joined.statusCode());
        assertTrue(after.rowsForwarded() - before.rowsForwarded() > after.forwards() - before.forwards(),
                "some forward pass stepped both sequences, at positions 1+ and 15+");
        String line;
        String last = null;
        while ((line = events.readLine()) != null) {
            last = line.isEmpty() ? last : line;
        }
        assertEquals("data: [DONE]", last);
    }

    @Test
    void stopSequenceEndsTheTextBeforeIt() throws Exception {
        String text = ServingFixture.json(fixture.post("/v1/completions",
                "{\"prompt\": \"The \", \"max_tokens\": 40, \"temperature\": 0}")).get("choices").get(0).get("text").asText();
        String stop = null;
        for (int i = 3; i < text.length() && stop == null; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                stop = String.valueOf(c);
            }
        }
        assertTrue(stop != null, "the greedy text has an ASCII character to stop at: " + text);
        JsonNode stopped = ServingFixture.json(fixture.post("/v1/completions",
                "{\"prompt\": \"The \", \"max_tokens\": 40, \"temperature\": 0, \"stop\": [\"" + stop + "\"]}"));
        JsonNode choice = stopped.get("choices").get(0);
        assertEquals(text.substring(0, text.indexOf(stop)), choice.get("text").asText());
        assertEquals("stop", choice.get("finish_reason").asText());
    }

    @Test
    void streamingSendsChunksThatAddUpToTheWholeAnswerThenDone() throws Exception {
        String body = "{\"prompt\": \"Stream me\", \"n\": 2, \"max_tokens\": 10, \"temperature\": 0.8, \"seed\": 3";
        JsonNode whole = ServingFixture.json(fixture.post("/v1/completions", body + "}"));
        HttpResponse<String> r = fixture.post("/v1/completions",
                body + ", \"stream\": true, \"stream_options\": {\"include_usage\": true}}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        List<String> events = events(r.body());
        assertEquals("[DONE]", events.get(events.size() - 1));
        Map<Integer, StringBuilder> texts = new HashMap<>();
        Map<Integer, String> finished = new HashMap<>();
        JsonNode usage = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.MAPPER.readTree(e);
            assertEquals("text_completion", chunk.get("object").asText());
            if (chunk.has("usage")) {
                usage = chunk.get("usage");
                continue;
            }
            JsonNode c = chunk.get("choices").get(0);
            texts.computeIfAbsent(c.get("index").asInt(), i -> new StringBuilder()).append(c.get("text").asText());
            if (!c.get("finish_reason").isNull()) {
                finished.put(c.get("index").asInt(), c.get("finish_reason").asText());
            }
        }
        assertTrue(events.size() > 4, "several chunks: " + events);
        for (int i = 0; i < 2; i++) {
            assertEquals(whole.get("choices").get(i).get("text").asText(), texts.get(i).toString(), "choice " + i);
            assertEquals(whole.get("choices").get(i).get("finish_reason").asText(), finished.get(i));
        }
        assertEquals(whole.get("usage"), usage);
    }

    @Test
    void chatAnswersAsTheAssistantWholeAndStreamed() throws Exception {
        String messages = "\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi!\"}]}]";
        HttpResponse<String> r = fixture.post("/v1/chat/completions",
                "{\"model\": \"test:step-1\", " + messages + ", \"max_tokens\": 8, \"temperature\": 0}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = ServingFixture.json(r);
        assertEquals("chat.completion", body.get("object").asText());
        assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = body.get("choices").get(0);
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertTrue(List.of("stop", "length").contains(choice.get("finish_reason").asText()));
        int templated = "System: Be brief.\nUser: Hi!\nAssistant:".length();
        assertEquals(templated, body.get("usage").get("prompt_tokens").asInt());

        HttpResponse<String> streamed = fixture.post("/v1/chat/completions",
                "{" + messages + ", \"max_tokens\": 8, \"temperature\": 0, \"stream\": true}");
        List<String> events = events(streamed.body());
        assertEquals("[DONE]", events.get(events.size() - 1));
        JsonNode first = Json.MAPPER.readTree(events.get(0));
        assertEquals("chat.completion.chunk", first.get("object").asText());
        assertEquals("assistant", first.get("choices").get(0).get("delta").get("role").asText());
        StringBuilder content = new StringBuilder();
        for (String e : events.subList(1, events.size() - 1)) {
            JsonNode delta = Json.MAPPER.readTree(e).get("choices").get(0).get("delta");
            if (delta.has("content")) {
                content.append(delta.get("content").asText());
            }
        }
        assertEquals(choice.get("message").get("content").asText(), content.toString());
    }

    @Test
    void modelsHealthAndReadiness() throws Exception {
        JsonNode models = ServingFixture.json(fixture.get("/v1/models"));
        assertEquals("list", models.get("object").asText());
        JsonNode m = models.get("data").get(0);
        assertEquals("test:step-1", m.get("id").asText());
        assertEquals("test", m.get("run").asText());
        assertEquals(1, m.get("step").asInt());
        assertEquals(128, m.get("max_model_len").asInt());
        assertEquals(200, fixture.get("/healthz").statusCode());
        HttpResponse<String> ready = fixture.get("/readyz");
        assertEquals(200, ready.statusCode());
        assertEquals("test:step-1", ServingFixture.json(ready).get("model").asText());
        assertFalse(fixture.slot.current().isEmpty());
    }

    static List<String> events(String body) {
        List<String> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (!block.isBlank()) {
                assertTrue(block.startsWith("data: "), "an SSE data event: " + block);
                out.add(block.substring("data: ".length()));
            }
        }
        return out;
    }
}
