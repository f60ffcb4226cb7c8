package org.millrace.producers.synth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.millrace.common.Json;
import org.millrace.producers.synth.TeacherSettings;

/**
 * A client of an OpenAI-compatible {@code /v1/chat/completions} endpoint: one request per call,
 * retried with exponential backoff and jitter on 429, 5xx, timeouts and connection errors
 * (a server's {@code Retry-After} is honoured up to the maximum backoff); other answers fail at once.
 */
public final class ChatCompletions {
    private final TeacherSettings settings;
    private final HttpClient http;
    private final String apiKey;

    /** What one successful call returned. */
    public record Completion(String content, String finishReason, int retries, long promptTokens, long completionTokens) {
    }

    /** A request that failed for good (after its retries, or at once for a 4xx other than 429). */
    public static final class TeacherException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int retries;

        TeacherException(String message, int retries, Throwable cause) {
            super(message, cause);
            this.retries = retries;
        }

        public int retries() {
            return retries;
        }
    }

    public ChatCompletions(TeacherSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1).build();
        String key = settings.apiKeyEnv().isBlank() ? null : System.getenv(settings.apiKeyEnv());
        this.apiKey = key == null || key.isBlank() ? null : key;
    }

    /**
     * @param onRetry told the reason of every retry (for counting and logging)
     */
    public Completion complete(String system, String user, long seed, Consumer<String> onRetry)
            throws TeacherException, InterruptedException {
        byte[] body = body(system, user, seed);
        int attempt = 0;
        while (true) {
            String problem;
            Duration retryAfter = null;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(settings.completionsUrl()).timeout(settings.timeout())
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
                if (apiKey != null) {
                    request.header("Authorization", "Bearer " + apiKey);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return parse(response.body(), attempt);
                }
                problem = "HTTP " + status + ": " + excerpt(response.body());
                if (status != 429 && status < 500) {
                    throw new TeacherException(settings.completionsUrl() + " answered " + problem, attempt, null);
                }
                retryAfter = response.headers().firstValue("Retry-After").flatMap(ChatCompletions::seconds).orElse(null);
            } catch (HttpTimeoutException e) {
                problem = "timed out after " + settings.timeout();
            } catch (IOException e) {
                problem = "connection failed: " + e;
            }
            if (attempt >= settings.maxRetries()) {
                throw new TeacherException(settings.completionsUrl() + ": " + problem + " (gave up after " + attempt + " retries)",
                        attempt, null);
            }
            onRetry.accept(problem);
            Thread.sleep(backoff(attempt, retryAfter).toMillis());
            attempt++;
        }
    }

    /** Equal jitter: a random wait between half and all of initial × 2^attempt, capped; a Retry-After is waited at least. */
    Duration backoff(int attempt, Duration retryAfter) {
        long cap = settings.maxBackoff().toMillis();
        long ceiling = Math.min(cap, settings.initialBackoff().toMillis() << Math.min(attempt, 20));
        long wait = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        if (retryAfter != null) {
            wait = Math.max(wait, Math.min(cap, retryAfter.toMillis()));
        }
        return Duration.ofMillis(wait);
    }

    private static java.util.Optional<Duration> seconds(String header) {
        try {
            return java.util.Optional.of(Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000)));
        } catch (NumberFormatException httpDate) {
            return java.util.Optional.empty(); // an HTTP date: use our own backoff
        }
    }

    private byte[] body(String system, String user, long seed) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", settings.model());
        ArrayNode messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        root.put("max_tokens", settings.maxTokens());
        root.put("temperature", settings.temperature());
        root.put("seed", seed);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private Completion parse(String body, int retries) throws TeacherException {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            JsonNode choice = root.path("choices").path(0);
            JsonNode content = choice.path("message").path("content");
            if (!content.isTextual()) {
                throw new TeacherException(settings.completionsUrl() + " answered 200 without choices[0].message.content: "
                        + excerpt(body), retries, null);
            }
            JsonNode usage = root.path("usage");
            return new Completion(content.textValue(), choice.path("finish_reason").asText(null), retries,
                    usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TeacherException(settings.completionsUrl() + " answered 200 with malformed JSON: " + excerpt(body), retries, e);
        }
    }

    private static String excerpt(String body) {
        String s = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
