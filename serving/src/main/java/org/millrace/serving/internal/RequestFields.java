package org.millrace.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed reads of a request's JSON fields whose failures are OpenAI-style errors naming the field. A
 * JSON {@code null} counts as absent.
 */
final class RequestFields {
    private final ObjectNode body;

    RequestFields(ObjectNode body, Set<String> known) {
        this.body = body;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiError.unknown(name).exception();
            }
        }
    }

    static ObjectNode object(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw ApiError.invalidJson("the body is " + (root == null ? "empty" : "a JSON " + kind(root)) + ", not an object")
                    .exception();
        }
        return (ObjectNode) root;
    }

    boolean has(String name) {
        JsonNode n = body.get(name);
        return n != null && !n.isNull();
    }

    JsonNode node(String name) {
        return has(name) ? body.get(name) : null;
    }

    JsonNode required(String name) {
        if (!has(name)) {
            throw ApiError.missing(name).exception();
        }
        return body.get(name);
    }

    Integer integer(String name, int min, int max) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isNumber() || !(n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble()))) {
            throw ApiError.invalidType(name, "an integer", describe(n)).exception();
        }
        if (!n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw ApiError.invalidValue(name, "Invalid value for '" + name + "': " + n.asText() + " is not within ["
                    + min + ", " + max + "].").exception();
        }
        return (int) n.asLong();
    }

    Long longInteger(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiError.invalidType(name, "an integer", describe(n)).exception();
        }
        return n.asLong();
    }

    double number(String name, double fallback, double min, double max, boolean minOpen) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw ApiError.invalidType(name, "a number", describe(n)).exception();
        }
        double v = n.asDouble();
        if (!(minOpen ? v > min : v >= min) || !(v <= max)) {
            throw ApiError.invalidValue(name, "Invalid value for '" + name + "': " + n.asText() + " is not within "
                    + (minOpen ? "(" : "[") + min + ", " + max + "].").exception();
        }
        return v;
    }

    boolean bool(String name, boolean fallback) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiError.invalidType(name, "a boolean", describe(n)).exception();
        }
        return n.asBoolean();
    }

    String string(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiError.invalidType(name, "a string", describe(n)).exception();
        }
        return n.asText();
    }

    /** {@code stop}: a string or an array of up to 4 non-empty strings. */
    List<String> stops(String name) {
        JsonNode n = node(name);
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw ApiError.invalidType(name, "a string or an array of strings", "an array holding " + describe(e))
                            .exception();
                }
                out.add(e.asText());
            }
            if (out.size() > 4) {
                throw ApiError.invalidValue(name, "Invalid value for '" + name + "': at most 4 stop sequences (got "
                        + out.size() + ").").exception();
            }
        } else {
            throw ApiError.invalidType(name, "a string or an array of strings", describe(n)).exception();
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiError.invalidValue(name, "Invalid value for '" + name + "': a stop sequence must not be empty.")
                    .exception();
        }
        return out;
    }

    /** Rejects a field the server knows but does not implement, unless it holds its neutral value. */
    void unsupportedUnless(String name, java.util.function.Predicate<JsonNode> neutral, String why) {
        JsonNode n = node(name);
        if (n != null && !neutral.test(n)) {
            throw ApiError.unsupported(name, "'" + name + "' is not supported by this server: " + why).exception();
        }
    }

    static String describe(JsonNode n) {
        String k = kind(n);
        return (k.startsWith("a") || k.startsWith("o") ? "an " : "a ") + k;
    }

    private static String kind(JsonNode n) {
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isNumber()) {
            return "decimal number";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isObject()) {
            return "object";
        }
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
