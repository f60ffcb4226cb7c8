package org.millrace.processing.tokenizer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
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
    public static final String END_OF_TEXT = "<|endoftext|>";

    private TokenizerJson() {
    }

    /** The file's text; the same vocabulary always gives the same bytes. */
    public static String write(MergeLearner.Learned learned) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int endOfText = learned.tokens().size();
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode eot = added.addObject();
        eot.put("id", endOfText);
        eot.put("content", END_OF_TEXT);
        eot.put("single_word", false);
        eot.put("lstrip", false);
        eot.put("rstrip", false);
        eot.put("normalized", false);
        eot.put("special", true);
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(f, false, true));
        root.set("post_processor", byteLevel(f, true, false));
        root.set("decoder", byteLevel(f, true, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < learned.tokens().size(); id++) {
            vocab.put(ByteLevel.toChars(learned.tokens().get(id)), id);
        }
        vocab.put(END_OF_TEXT, endOfText);
        ArrayNode merges = model.putArray("merges");
        for (int[] m : learned.merges()) {
            merges.add(ByteLevel.toChars(learned.tokens().get(m[0])) + " " + ByteLevel.toChars(learned.tokens().get(m[1])));
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write tokenizer.json: " + e.getMessage(), e);
        }
    }

    private static ObjectNode byteLevel(JsonNodeFactory f, boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode n = f.objectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", addPrefixSpace);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", true);
        return n;
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
