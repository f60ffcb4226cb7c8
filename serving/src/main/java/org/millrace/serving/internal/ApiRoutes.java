package org.millrace.serving.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.millrace.common.Json;
import org.millrace.serving.GenerationEngine;
import org.millrace.serving.GenerationRequest;
import org.millrace.serving.ModelSlot;
import org.millrace.serving.ServedModel;
import org.millrace.serving.ServingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints: {@code POST /v1/completions}, {@code POST /v1/chat/completions}, {@code GET /v1/models},
 * {@code GET /healthz}, {@code GET /readyz}. Every failure is answered in the OpenAI error shape.
 */
public final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    /** One JSON value, no text after it, no field given twice (parsers disagree on which one counts). */
    private static final ObjectReader STRICT_JSON = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final ServingSettings settings;
    private final ModelSlot slot;
    private final GenerationEngine engine;
    private final Materializer materializer;
    private final byte[] token;

    public ApiRoutes(ServingSettings settings, ModelSlot slot, GenerationEngine engine, Materializer materializer) {
        this.settings = settings;
        this.slot = slot;
        this.engine = engine;
        this.materializer = materializer;
        this.token = ("Bearer " + settings.bearerToken()).getBytes(StandardCharsets.UTF_8);
    }

    public CompletionStage<HttpResponse> handle(HttpRequest request) {
        try {
            return route(request);
        } catch (ApiError.ApiException e) {
            request.discardEntityBytes(materializer);
            return CompletableFuture.completedFuture(error(e.error()));
        } catch (RuntimeException e) {
            LOG.warn("request {} {} failed", request.method().value(), request.getUri().path(), e);
            request.discardEntityBytes(materializer);
            return CompletableFuture.completedFuture(error(ApiError.internal(e.toString())));
        }
    }

    private CompletionStage<HttpResponse> route(HttpRequest request) {
        String path = request.getUri().path();
        String method = request.method().value();
        switch (path) {
            case "/healthz" -> {
                allow(request, "GET");
                return done(json(200, Json.MAPPER.createObjectNode().put("status", "ok")));
            }
            case "/readyz" -> {
                allow(request, "GET");
                Optional<ServedModel> m = slot.current();
                ObjectNode body = Json.MAPPER.createObjectNode().put("status", m.isPresent() ? "ready" : "no model loaded yet");
                m.ifPresent(model -> body.put("model", model.id()));
                return done(json(m.isPresent() ? 200 : 503, body));
            }
            case "/v1/models" -> {
                allow(request, "GET");
                authorize(request);
                return done(json(200, models()));
            }
            case "/v1/completions", "/v1/chat/completions" -> {
                allow(request, "POST");
                authorize(request);
                boolean chat = path.endsWith("chat/completions");
                return body(request).handle((bytes, failure) -> {
                    if (failure != null) {
                        return done(error(bodyFailure(failure)));
                    }
                    try {
                        JsonNode root = parse(bytes);
                        return generate(chat ? ApiCall.chat(root, settings) : ApiCall.completion(root, settings));
                    } catch (ApiError.ApiException e) {
                        return done(error(e.error()));
                    }
                }).thenCompose(stage -> stage);
            }
            default -> throw ApiError.notFound(method, path).exception();
        }
    }

    private static void allow(HttpRequest request, String method) {
        if (!request.method().value().equals(method)) {
            throw ApiError.methodNotAllowed(request.method().value(), request.getUri().path(), method).exception();
        }
    }

    private void authorize(HttpRequest request) {
        if (!settings.requiresToken()) {
            return;
        }
        byte[] given = request.getHeader("Authorization").map(h -> h.value().getBytes(StandardCharsets.UTF_8))
                .orElse(new byte[0]);
        if (!MessageDigest.isEqual(given, token)) { // constant time
            throw ApiError.unauthorized().exception();
        }
    }

    private CompletionStage<byte[]> body(HttpRequest request) {
        long limit = settings.maxBodyBytes();
        if (request.entity().getContentLengthOption().orElse(0L) > limit) {
            throw ApiError.tooLarge(limit).exception();
        }
        // our own limit on the bytes (the server-wide one is lifted for this entity), so that its failure is known
        return request.entity().withoutSizeLimit().getDataBytes()
                .limitWeighted(limit, bytes -> (long) bytes.size())
                .runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
                .thenApply(ByteString::toArray);
    }

    private ApiError bodyFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamLimitReachedException || t instanceof EntityStreamSizeException) {
                return ApiError.tooLarge(settings.maxBodyBytes());
            }
        }
        return ApiError.invalidJson("the body could not be read (" + e.getMessage() + ")");
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode root = STRICT_JSON.readTree(bytes);
            if (root != null) {
                rejectUnpairedSurrogates(root);
            }
            return root == null || root.isMissingNode() ? null : root;
        } catch (JsonProcessingException e) {
            throw ApiError.invalidJson(e.getOriginalMessage()).exception();
        } catch (IOException e) {
            throw ApiError.invalidJson(e.getMessage()).exception();
        }
    }

    /**
     * A JSON escape such as {@code "\\ud800"} alone decodes to half a UTF-16 pair: text with no Unicode
     * (hence no UTF-8) form, which a tokenizer would silently turn into something else. Rejected, wherever it is.
     */
    private static void rejectUnpairedSurrogates(JsonNode root) {
        java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isTextual()) {
                checkPairs(n.textValue());
            } else if (n.isObject()) {
                n.fields().forEachRemaining(e -> {
                    checkPairs(e.getKey());
                    todo.push(e.getValue());
                });
            } else if (n.isArray()) {
                n.forEach(todo::push);
            }
        }
    }

    private static void checkPairs(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiError.invalidJson("a string holds an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c)
                        + " at character " + i + "): not Unicode text").exception();
            }
        }
    }

    private ObjectNode models() {
        ObjectNode root = Json.MAPPER.createObjectNode().put("object", "list");
        var data = root.putArray("data");
        slot.current().ifPresent(m -> data.addObject()
                .put("id", m.id())
                .put("object", "model")
                .put("created", m.manifest().time() / 1000)
                .put("owned_by", "millrace")
                .put("root", m.run())
                .put("run", m.run())
                .put("step", m.step())
                .put("tokenizer", m.tokenizer().name())
                .put("max_model_len", m.config().contextLength())
                .put("checkpoint", m.checkpoint().toString()));
        return root;
    }

    private CompletionStage<HttpResponse> generate(ApiCall call) {
        ServedModel model = slot.lease().orElseThrow(() -> ApiError.notReady().exception());
        boolean submitted = false;
        try {
            if (call.model() != null && !names(model, call.model())) {
                throw ApiError.modelNotFound(call.model(), model.id()).exception();
            }
            List<int[]> prompts = tokenize(call, model);
            int context = model.config().contextLength();
            int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
            int maxTokens = call.maxTokens() != null ? call.maxTokens()
                    : call.chat() ? Math.max(1, Math.min(settings.maxTokensCap(), context - longest)) : settings.defaultMaxTokens();
            if (longest + maxTokens > context) {
                throw ApiError.contextLength(call.chat() ? "messages" : "prompt", context, longest, maxTokens).exception();
            }
            int choices = prompts.size() * call.n();
            ReplyFormat format = new ReplyFormat(call.chat(), model.id());
            if (call.stream()) {
                Pair<Pair<BoundedSourceQueue<ByteString>, CompletionStage<Done>>, Source<ByteString, NotUsed>> events =
                        Source.<ByteString>queue(choices * (maxTokens + 2) + 4)
                                .watchTermination(Pair::create)
                                .preMaterialize(materializer);
                StreamingListener listener = new StreamingListener(events.first().first(), format, choices, call.chat(),
                        call.includeUsage());
                events.first().second().whenComplete((d, e) -> listener.clientGone());
                submitted = engine.submit(new GenerationRequest(model, prompts, call.n(), maxTokens, call.sampling(),
                        call.stops(), listener));
                if (!submitted) {
                    events.first().first().complete();
                    return done(overloaded());
                }
                return done(HttpResponse.create().withStatus(200)
                        .addHeader(RawHeader.create("Cache-Control", "no-cache"))
                        .withEntity(HttpEntities.createChunked(MediaTypes.TEXT_EVENT_STREAM.toContentType(), events.second())));
            }
            CollectingListener listener = new CollectingListener(choices, call.chat());
            submitted = engine.submit(new GenerationRequest(model, prompts, call.n(), maxTokens, call.sampling(),
                    call.stops(), listener));
            if (!submitted) {
                return done(overloaded());
            }
            return listener.answer().handle((answer, e) -> e != null
                    ? error(ApiError.unavailable("generation failed: " + rootMessage(e)))
                    : HttpResponse.create().withStatus(200).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                            format.whole(answer.texts(), answer.finishReasons(), answer.usage()))));
        } finally {
            if (!submitted) {
                model.release();
            }
        }
    }

    private HttpResponse overloaded() {
        return error(ApiError.overloaded(settings.retryAfterSeconds()));
    }

    private static boolean names(ServedModel model, String name) {
        return name.equals(model.id()) || name.equals(model.run()) || name.startsWith(model.run() + ":step-");
    }

    private static List<int[]> tokenize(ApiCall call, ServedModel model) {
        int vocab = model.tokenizer().vocabSize();
        List<int[]> out = new ArrayList<>();
        for (ApiCall.Prompt p : call.prompts()) {
            int[] ids = p.text() != null ? model.tokenizer().encode(p.text()) : p.ids();
            for (int id : ids) {
                if (id < 0 || id >= vocab) {
                    throw ApiError.invalidValue("prompt", "Invalid value for 'prompt': token id " + id
                            + " is outside the vocabulary [0, " + vocab + ").").exception();
                }
            }
            // an empty prompt continues from the start of a document, which follows end-of-text in training
            out.add(ids.length == 0 ? new int[] {model.tokenizer().endOfText()} : ids);
        }
        return out;
    }

    private HttpResponse error(ApiError e) {
        HttpResponse r = HttpResponse.create().withStatus(e.status())
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, e.body()));
        if (e.status() == 429) {
            r = r.addHeader(RawHeader.create("Retry-After", Long.toString(settings.retryAfterSeconds())));
        }
        return r;
    }

    private static HttpResponse json(int status, ObjectNode body) {
        return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                Json.write(body)));
    }

    private static CompletionStage<HttpResponse> done(HttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
