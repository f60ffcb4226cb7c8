package org.millrace.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chat template: each message on its own line as {@code Role: content}, then {@code Assistant:}
 * for the model to continue. Plain text, because the models are pretrained on plain text and have no
 * special chat tokens; the answer ends at the end-of-text token or where the model starts the next
 * turn ({@link #STOPS}).
 *
 * <pre>
 * System: You are terse.
 * User: What is a millrace?
 * Assistant:</pre>
 */
final class ChatTemplate {
    /** Turn markers that end an answer. */
    static final List<String> STOPS = List.of("\nUser:", "\nSystem:");

    private static final Map<String, String> ROLES = Map.of("system", "System", "developer", "System", "user", "User",
            "assistant", "Assistant");

    private ChatTemplate() {
    }

    static String render(JsonNode messages) {
        if (!messages.isArray()) {
            throw ApiError.invalidType("messages", "an array of messages", RequestFields.describe(messages)).exception();
        }
        if (messages.isEmpty()) {
            throw ApiError.invalidValue("messages", "Invalid value for 'messages': at least one message is needed.")
                    .exception();
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) {
                throw ApiError.invalidType(at, "an object", RequestFields.describe(m)).exception();
            }
            JsonNode role = m.get("role");
            if (role == null || role.isNull()) {
                throw ApiError.missing(at + ".role").exception();
            }
            if (!role.isTextual()) {
                throw ApiError.invalidType(at + ".role", "a string", RequestFields.describe(role)).exception();
            }
            String label = ROLES.get(role.asText().toLowerCase(Locale.ROOT));
            if (label == null) {
                throw ApiError.invalidValue(at + ".role", "Invalid value for '" + at + ".role': '" + role.asText()
                        + "' is not one of system, developer, user, assistant.").exception();
            }
            out.append(label).append(": ").append(content(m.get("content"), at + ".content").strip()).append('\n');
        }
        return out.append("Assistant:").toString();
    }

    /** A string, or an array of {@code {"type": "text", "text": ...}} parts. */
    private static String content(JsonNode c, String at) {
        if (c == null || c.isNull()) {
            throw ApiError.missing(at).exception();
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (!c.isArray()) {
            throw ApiError.invalidType(at, "a string or an array of text parts", RequestFields.describe(c)).exception();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : c) {
            if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw ApiError.unsupported(at, "only text parts ({\"type\": \"text\", \"text\": ...}) are supported in '"
                        + at + "'").exception();
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }
}
