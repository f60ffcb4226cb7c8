package org.millrace.producers.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.millrace.common.Json;

/**
 * A real HTTP server speaking the OpenAI chat-completions protocol on 127.0.0.1, whose answer to each
 * attempt of each prompt a test scripts: 200 with a message, 429 (with Retry-After), 5xx, 400, or a
 * reply slower than the client's timeout.
 */
final class FakeTeacher implements AutoCloseable {
    /** What the server does for one attempt of one prompt. */
    record Answer(int status, String content, long delayMillis) {
        static Answer ok(String content) {
            return new Answer(200, content, 0);
        }

        static Answer status(int status) {
            return new Answer(status, null, 0);
        }

        static Answer slow(String content, long millis) {
            return new Answer(200, content, millis);
        }
    }

    @FunctionalInterface
    interface Script {
        /** @param attempt 0 for the first request of this prompt */
        Answer answer(String userPrompt, int attempt);
    }

    /** A request as the server saw it. */
    record Request(String model, List<String> roles, String user, int maxTokens, String authorization) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Script script;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger errorsServed = new AtomicInteger();

    FakeTeacher(Script script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            if (!exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 405, "{\"error\":{\"message\":\"POST only\"}}");
                return;
            }
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            List<String> roles = new java.util.ArrayList<>();
            String user = null;
            for (JsonNode m : body.path("messages")) {
                roles.add(m.path("role").asText());
                if (m.path("role").asText().equals("user")) {
                    user = m.path("content").asText();
                }
            }
            requests.add(new Request(body.path("model").asText(), roles, user, body.path("max_tokens").asInt(),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            int attempt = attempts.computeIfAbsent(user, k -> new AtomicInteger()).getAndIncrement();
            Answer a = script.answer(user, attempt);
            if (a.delayMillis() > 0) {
                inFlight.decrementAndGet(); // the client gives up on it: it no longer counts against its limit
                try {
                    Thread.sleep(a.delayMillis()); // a slow model: the client's timeout is what is tested
                } finally {
                    inFlight.incrementAndGet();
                }
            }
            if (a.status() != 200) {
                errorsServed.incrementAndGet();
                if (a.status() == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "0");
                }
                respond(exchange, a.status(), "{\"error\":{\"message\":\"scripted " + a.status() + "\"}}");
                return;
            }
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("id", "chatcmpl-" + requests.size());
            out.put("object", "chat.completion");
            out.put("model", body.path("model").asText());
            ObjectNode choice = out.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", a.content());
            choice.put("finish_reason", "stop");
            out.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 40);
            respond(exchange, 200, Json.MAPPER.writeValueAsString(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout) and closed the connection
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
