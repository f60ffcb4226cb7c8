package org.millrace.processing.tokenizer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import org.millrace.common.ByteLevelBpeJson;
import org.millrace.common.Json;

/**
 * Writes and reads the Hugging Face {@code tokenizer.json} of a byte-level BPE, in the shape the
 * tokenizers library itself saves for GPT-2: no normalizer, the {@code ByteLevel} pre-tokenizer
 * (GPT-2 split pattern, no prefix space), a {@code BPE} model without unknown token, the
 * {@code ByteLevel} decoder, and {@code <|endoftext|>} as an added special token after the learned
 * tokens. Merges are written as {@code "left right"} strings, which every version of the library
 * reads (the byte-level alphabet has no space in it).
 */
public final class TokenizerJson {
    public static final String END_OF_TEXT = ByteLevelBpeJson.END_OF_TEXT;

    private TokenizerJson() {
    }

    /** The file's text; the same vocabulary always gives the same bytes. */
    public static String write(MergeLearner.Learned learned) {
        int endOfText = learned.tokens().size();
        ObjectNode root = ByteLevelBpeJson.skeleton(endOfText, true);
        ObjectNode vocab = (ObjectNode) root.path("model").path("vocab");
        for (int id = 0; id < learned.tokens().size(); id++) {
            vocab.put(ByteLevelBpeJson.toChars(learned.tokens().get(id)), id);
        }
        vocab.put(END_OF_TEXT, endOfText);
        ArrayNode merges = (ArrayNode) root.path("model").path("merges");
        for (int[] m : learned.merges()) {
            merges.add(ByteLevelBpeJson.toChars(learned.tokens().get(m[0])) + " "
                    + ByteLevelBpeJson.toChars(learned.tokens().get(m[1])));
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** What Millrace needs to know of a {@code tokenizer.json} besides what the library does with it. */
    public record Facts(int vocabSize, int endOfText) {
    }

    /**
     * Vocabulary size (one more than the largest id of the model or the added tokens) and the id of
     * {@code <|endoftext|>}.
     *
     * @throws IllegalArgumentException if the file is not a BPE tokenizer or has no end-of-text token
     */
    public static Facts facts(byte[] json, String where) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(where + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText()) || !model.path("vocab").isObject()) {
            throw new IllegalArgumentException(where + " holds no BPE model (model.type is '" + model.path("type").asText() + "')");
        }
        int maxId = -1;
        Integer eot = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            maxId = Math.max(maxId, e.getValue().asInt());
            if (e.getKey().equals(END_OF_TEXT)) {
                eot = e.getValue().asInt();
            }
        }
        for (JsonNode t : root.path("added_tokens")) {
            maxId = Math.max(maxId, t.path("id").asInt());
            if (END_OF_TEXT.equals(t.path("content").asText())) {
                eot = t.path("id").asInt();
            }
        }
        if (eot == null) {
            throw new IllegalArgumentException(where + " has no " + END_OF_TEXT + " token");
        }
        return new Facts(maxId + 1, eot);
    }
}
