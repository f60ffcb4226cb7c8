package org.millrace.serving.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.millrace.common.Json;
import org.millrace.serving.GenerationListener;

/**
 * The JSON of answers, in the shapes of the OpenAI completions and chat completions APIs: whole
 * answers, streamed chunks, and the usage counts.
 */
public final class ReplyFormat {
    private final boolean chat;
    private final String id;
    private final long created;
    private final String model;

    public ReplyFormat(boolean chat, String model) {
        this.chat = chat;
        this.id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        this.created = System.currentTimeMillis() / 1000;
        this.model = model;
    }

    /** A whole answer: one text and finish reason per choice. */
    public byte[] whole(List<String> texts, List<String> finishReasons, GenerationListener.Usage usage) {
        ObjectNode root = head(chat ? "chat.completion" : "text_completion");
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode c = choices.addObject();
            c.put("index", i);
            if (chat) {
                ObjectNode message = c.putObject("message");
                message.put("role", "assistant");
                message.put("content", texts.get(i));
            } else {
                c.put("text", texts.get(i));
            }
            c.putNull("logprobs");
            c.put("finish_reason", finishReasons.get(i));
        }
        usage(root, usage);
        return Json.write(root);
    }

    /** A streamed piece of one choice's text; for a chat, {@code role} opens the message. */
    public byte[] chunk(int choice, String text, String role, String finishReason) {
        ObjectNode root = head(chat ? "chat.completion.chunk" : "text_completion");
        ObjectNode c = root.putArray("choices").addObject();
        c.put("index", choice);
        if (chat) {
            ObjectNode delta = c.putObject("delta");
            if (role != null) {
                delta.put("role", role);
            }
            if (text != null) {
                delta.put("content", text);
            }
        } else {
            c.put("text", text == null ? "" : text);
        }
        c.putNull("logprobs");
        c.put("finish_reason", finishReason);
        return Json.write(root);
    }

    /** The last chunk of a stream that asked for usage: no choices, the counts. */
    public byte[] usageChunk(GenerationListener.Usage usage) {
        ObjectNode root = head(chat ? "chat.completion.chunk" : "text_completion");
        root.putArray("choices");
        usage(root, usage);
        return Json.write(root);
    }

    private ObjectNode head(String object) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    private static void usage(ObjectNode root, GenerationListener.Usage usage) {
        ObjectNode u = root.putObject("usage");
        u.put("prompt_tokens", usage.promptTokens());
        u.put("completion_tokens", usage.completionTokens());
        u.put("total_tokens", usage.totalTokens());
    }
}
