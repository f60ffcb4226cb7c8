package org.millrace.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a request can be wrong, answered over real HTTP in the OpenAI error shape with its status. */
class ApiErrorsTest {
    @TempDir
    static Path dir;
    static ServingFixture fixture;

    @BeforeAll
    static void start() {
        ServingSettings s = ServingFixture.settings();
        // a bearer token guards /v1; health and readiness stay open
        fixture = new ServingFixture(dir, new ServingSettings(s.host(), 0, "s3cret-token", s.maxBodyBytes(), s.maxTokensCap(),
                s.defaultMaxTokens(), s.queueCapacity(), s.maxActiveSequences(), s.maxBatch(), s.batchWindow(),
                s.requestTimeout(), s.retryAfter(), s.pollInterval()));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return fixture.client.send(fixture.request(path).header("Authorization", "Bearer s3cret-token")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts the status and the error object's four keys, and returns the error object. */
    private static JsonNode error(HttpResponse<String> r, int status, String code, String param) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = ServingFixture.json(r).get("error");
        for (String key : new String[] {"message", "type", "param", "code"}) {
            assertTrue(error.has(key), "error has " + key + ": " + r.body());
        }
        assertTrue(error.get("message").asText().length() > 10, r.body());
        assertEquals(code, error.get("code").asText(), r.body());
        assertEquals(param, error.get("param").isNull() ? null : error.get("param").asText(), r.body());
        return error;
    }

    @Test
    void invalidJsonIs400() throws Exception {
        JsonNode e = error(post("/v1/completions", "{\"prompt\": \"a\""), 400, "invalid_json", null);
        assertEquals("invalid_request_error", e.get("type").asText());
        error(post("/v1/completions", "{\"prompt\": \"a\"} trailing"), 400, "invalid_json", null);
        error(post("/v1/completions", "[\"a\"]"), 400, "invalid_json", null);
        error(post("/v1/completions", ""), 400, "invalid_json", null);
    }

    @Test
    void wrongTypesUnknownAndMissingFieldsAre400NamingTheField() throws Exception {
        error(post("/v1/completions", "{\"prompt\": \"a\", \"max_tokens\": \"5\"}"), 400, "invalid_type", "max_tokens");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"max_tokens\": 2.5}"), 400, "invalid_type", "max_tokens");
        error(post("/v1/completions", "{\"prompt\": 12}"), 400, "invalid_type", "prompt");
        error(post("/v1/completions", "{\"prompt\": [\"a\", 3]}"), 400, "invalid_type", "prompt");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"temperature\": \"hot\"}"), 400, "invalid_type", "temperature");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"temperature\": 5}"), 400, "invalid_value", "temperature");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"top_p\": 0}"), 400, "invalid_value", "top_p");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"stream\": \"yes\"}"), 400, "invalid_type", "stream");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"stop\": 7}"), 400, "invalid_type", "stop");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"seed\": \"x\"}"), 400, "invalid_type", "seed");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"n\": 0}"), 400, "invalid_value", "n");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"temprature\": 1}"), 400, "unknown_parameter", "temprature");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"echo\": true}"), 400, "unsupported_parameter", "echo");
        error(post("/v1/completions", "{\"max_tokens\": 3}"), 400, "missing_required_parameter", "prompt");
        error(post("/v1/completions", "{\"prompt\": [300]}"), 400, "invalid_value", "prompt");
        error(post("/v1/chat/completions", "{\"messages\": \"hi\"}"), 400, "invalid_type", "messages");
        error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}"), 400,
                "invalid_value", "messages[0].role");
        error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\"}]}"), 400,
                "missing_required_parameter", "messages[0].content");
    }

    @Test
    void promptsOverTheContextAndMaxTokensOverTheCapAre400() throws Exception {
        error(post("/v1/completions", "{\"prompt\": \"" + "x".repeat(200) + "\"}"), 400, "context_length_exceeded", "prompt");
        JsonNode e = error(post("/v1/completions", "{\"prompt\": \"" + "x".repeat(100) + "\", \"max_tokens\": 40}"), 400,
                "context_length_exceeded", "prompt");
        assertTrue(e.get("message").asText().contains("140"), e.toString());
        error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "y".repeat(130) + "\"}]}"),
                400, "context_length_exceeded", "messages");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"max_tokens\": 101}"), 400, "invalid_value", "max_tokens");
        error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}], "
                + "\"max_completion_tokens\": 500}"), 400, "invalid_value", "max_completion_tokens");
    }

    @Test
    void bodiesOverTheSizeLimitAre413WithOrWithoutContentLength() throws Exception {
        String big = "{\"prompt\": \"" + "z".repeat(40 * 1024) + "\"}";
        error(post("/v1/completions", big), 413, "request_too_large", null);
        HttpResponse<String> chunked = fixture.client.send(fixture.request("/v1/completions")
                .header("Authorization", "Bearer s3cret-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build(),
                HttpResponse.BodyHandlers.ofString());
        error(chunked, 413, "request_too_large", null);
    }

    @Test
    void wrongModelPathAndMethodAre404And405() throws Exception {
        error(post("/v1/completions", "{\"model\": \"gpt-4\", \"prompt\": \"a\"}"), 404, "model_not_found", "model");
        error(post("/v1/embeddings", "{}"), 404, "not_found", null);
        HttpResponse<String> get = fixture.client.send(fixture.request("/v1/completions")
                .header("Authorization", "Bearer s3cret-token").GET().build(), HttpResponse.BodyHandlers.ofString());
        error(get, 405, "method_not_allowed", null);
    }

    @Test
    void theBearerTokenGuardsV1Only() throws Exception {
        error(fixture.get("/v1/models"), 401, "invalid_api_key", null);
        error(fixture.post("/v1/completions", "{\"prompt\": \"a\"}"), 401, "invalid_api_key", null);
        HttpResponse<String> wrong = fixture.client.send(fixture.request("/v1/models")
                .header("Authorization", "Bearer s3cret-tokeX").timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        error(wrong, 401, "invalid_api_key", null);
        HttpResponse<String> right = fixture.client.send(fixture.request("/v1/models")
                .header("Authorization", "Bearer s3cret-token").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, right.statusCode());
        assertEquals(200, fixture.get("/healthz").statusCode());
        assertEquals(200, fixture.get("/readyz").statusCode());
    }
}
