package org.millrace.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.millrace.serving.Sampling;
import org.millrace.serving.ServingSettings;

/**
 * A completion or chat request, read and checked: every field has the right JSON type and range, or
 * reading throws an {@link ApiError.ApiException} naming it. Lengths are checked later, once the
 * prompts are tokenized with the model that will serve them.
 *
 * @param chat         whether this is {@code /v1/chat/completions}
 * @param model        the {@code model} named, or null
 * @param prompts      what to continue: texts, or token ids given directly
 * @param maxTokens    {@code max_tokens}, or null for the default
 * @param sampling     temperature, top_p, top_k, seed
 * @param stops        stop sequences (a chat adds the template's turn markers)
 * @param n            choices per prompt
 * @param stream       whether to answer with server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk ({@code stream_options.include_usage})
 */
public record ApiCall(boolean chat, String model, List<Prompt> prompts, Integer maxTokens, Sampling sampling,
                      List<String> stops, int n, boolean stream, boolean includeUsage) {

    /** A prompt: text to tokenize, or token ids. */
    public record Prompt(String text, int[] ids) {
    }

    private static final Set<String> COMMON = Set.of("model", "max_tokens", "temperature", "top_p", "top_k", "stop", "n",
            "seed", "stream", "stream_options", "user", "frequency_penalty", "presence_penalty", "logit_bias");
    private static final Set<String> COMPLETION = union(COMMON, Set.of("prompt", "echo", "logprobs", "suffix", "best_of"));
    private static final Set<String> CHAT = union(COMMON, Set.of("messages", "max_completion_tokens", "logprobs",
            "top_logprobs", "response_format", "tools", "tool_choice", "parallel_tool_calls", "store", "metadata"));

    public static ApiCall completion(JsonNode root, ServingSettings settings) {
        RequestFields f = new RequestFields(RequestFields.object(root), COMPLETION);
        List<Prompt> prompts = prompts(f.required("prompt"));
        f.unsupportedUnless("echo", n -> n.isBoolean() && !n.asBoolean(), "the prompt is never echoed");
        f.unsupportedUnless("logprobs", n -> n.isNumber() && n.asInt() == 0 || n.isBoolean() && !n.asBoolean(),
                "log-probabilities are not returned");
        f.unsupportedUnless("suffix", n -> false, "insertion is not supported");
        int n = choices(f, prompts.size(), settings);
        f.unsupportedUnless("best_of", b -> b.isIntegralNumber() && b.asInt() == n, "best_of must equal n");
        return common(f, false, prompts, f.has("max_tokens") ? maxTokens(f, "max_tokens", settings) : null, List.of(), n,
                settings);
    }

    public static ApiCall chat(JsonNode root, ServingSettings settings) {
        RequestFields f = new RequestFields(RequestFields.object(root), CHAT);
        String prompt = ChatTemplate.render(f.required("messages"));
        f.unsupportedUnless("logprobs", n -> n.isBoolean() && !n.asBoolean(), "log-probabilities are not returned");
        f.unsupportedUnless("top_logprobs", n -> n.isNumber() && n.asInt() == 0, "log-probabilities are not returned");
        f.unsupportedUnless("response_format", n -> n.isObject() && "text".equals(n.path("type").asText()),
                "only {\"type\": \"text\"} answers");
        f.unsupportedUnless("tools", n -> n.isArray() && n.isEmpty(), "no tool calling");
        f.unsupportedUnless("tool_choice", n -> n.isTextual() && n.asText().equals("none"), "no tool calling");
        String limitField = f.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        Integer max = f.has(limitField) ? maxTokens(f, limitField, settings) : null;
        int n = choices(f, 1, settings);
        return common(f, true, List.of(new Prompt(prompt, null)), max, ChatTemplate.STOPS, n, settings);
    }

    private static ApiCall common(RequestFields f, boolean chat, List<Prompt> prompts, Integer maxTokens,
                                  List<String> extraStops, int n, ServingSettings settings) {
        String model = f.string("model");
        double temperature = f.number("temperature", 1.0, 0, 2, false);
        double topP = f.number("top_p", 1.0, 0, 1, true);
        Integer topK = f.integer("top_k", -1, Integer.MAX_VALUE);
        Long seed = f.longInteger("seed");
        List<String> stops = new ArrayList<>(f.stops("stop"));
        extraStops.stream().filter(s -> !stops.contains(s)).forEach(stops::add);
        boolean stream = f.bool("stream", false);
        boolean includeUsage = false;
        JsonNode options = f.node("stream_options");
        if (options != null) {
            if (!options.isObject()) {
                throw ApiError.invalidType("stream_options", "an object", RequestFields.describe(options)).exception();
            }
            JsonNode usage = options.get("include_usage");
            if (usage != null && !usage.isNull() && !usage.isBoolean()) {
                throw ApiError.invalidType("stream_options.include_usage", "a boolean", RequestFields.describe(usage))
                        .exception();
            }
            includeUsage = usage != null && usage.asBoolean();
        }
        f.string("user");
        f.unsupportedUnless("frequency_penalty", p -> p.isNumber() && p.asDouble() == 0, "no repetition penalties");
        f.unsupportedUnless("presence_penalty", p -> p.isNumber() && p.asDouble() == 0, "no repetition penalties");
        f.unsupportedUnless("logit_bias", p -> p.isObject() && p.isEmpty(), "no logit bias");
        Sampling sampling = new Sampling(temperature, topP, topK == null || topK < 0 ? 0 : topK, seed);
        return new ApiCall(chat, model, prompts, maxTokens, sampling, stops, n, stream, includeUsage);
    }

    private static int maxTokens(RequestFields f, String name, ServingSettings settings) {
        int v = f.integer(name, 1, Integer.MAX_VALUE);
        if (v > settings.maxTokensCap()) {
            throw ApiError.invalidValue(name, "'" + name + "' is too large: " + v + ". This server generates at most "
                    + settings.maxTokensCap() + " tokens per choice (millrace.serving.max-tokens-cap).").exception();
        }
        return v;
    }

    private static int choices(RequestFields f, int prompts, ServingSettings settings) {
        Integer n = f.integer("n", 1, settings.maxActiveSequences());
        int choices = n == null ? 1 : n;
        if (choices * prompts > settings.maxActiveSequences()) {
            throw ApiError.invalidValue("n", "Invalid value for 'n': " + prompts + " prompts × n = " + choices
                    + " make " + choices * prompts + " sequences, more than this server generates at once ("
                    + settings.maxActiveSequences() + ", millrace.serving.max-active-sequences).").exception();
        }
        return choices;
    }

    /** A string, an array of strings, an array of token ids, or an array of arrays of token ids. */
    private static List<Prompt> prompts(JsonNode p) {
        String expected = "a string, an array of strings, an array of token ids or an array of arrays of token ids";
        if (p.isTextual()) {
            return List.of(new Prompt(p.asText(), null));
        }
        if (!p.isArray()) {
            throw ApiError.invalidType("prompt", expected, RequestFields.describe(p)).exception();
        }
        if (p.isEmpty()) {
            throw ApiError.invalidValue("prompt", "Invalid value for 'prompt': the array is empty.").exception();
        }
        List<Prompt> out = new ArrayList<>();
        if (p.get(0).isIntegralNumber()) {
            out.add(new Prompt(null, ids(p, expected)));
            return out;
        }
        for (JsonNode e : p) {
            if (e.isTextual()) {
                out.add(new Prompt(e.asText(), null));
            } else if (e.isArray() && !e.isEmpty()) {
                out.add(new Prompt(null, ids(e, expected)));
            } else {
                throw ApiError.invalidType("prompt", expected, "an array holding " + RequestFields.describe(e)).exception();
            }
        }
        return out;
    }

    private static int[] ids(JsonNode array, String expected) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode e = array.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw ApiError.invalidType("prompt", expected, "an array holding " + RequestFields.describe(e)).exception();
            }
            ids[i] = e.asInt();
        }
        return ids;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
