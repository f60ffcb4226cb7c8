package org.millrace.serving.export;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Json;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptParameters;

/**
 * Exports a checkpoint as a Hugging Face GPT-2 model directory that {@code GPT2LMHeadModel.from_pretrained}
 * loads: {@code config.json}, {@code model.safetensors}, {@code tokenizer.json} and
 * {@code tokenizer_config.json}.
 *
 * <p>The model already uses GPT-2's parameter names and stores linear weights (in, out) like HF's
 * {@code Conv1D}, so tensors are copied as they are, under {@code transformer.} (the prefix
 * {@code GPT2LMHeadModel.save_pretrained} writes); {@code lm_head.weight} is left out because it is
 * tied to {@code transformer.wte.weight}. A model trained without biases gets zero biases, which
 * computes the same. The activation is the exact (erf) GELU, {@code "activation_function": "gelu"}.
 */
public final class HfExport {
    private HfExport() {
    }

    /** What was written. */
    public record Result(Path directory, int tensors, long parameters, String tokenizerSource) {
    }

    /**
     * @param checkpoint    a checkpoint directory (manifest and {@code model.params})
     * @param out           the directory to write (created; existing files of the same names are replaced)
     * @param tokenizerJson a {@code tokenizer.json} to copy, or null: then the checkpoint's own
     *                      {@code tokenizer.json} if it has one, else the byte-level equivalent of {@code byte-v1}
     */
    public static Result export(Path checkpoint, Path out, Path tokenizerJson) throws IOException {
        CheckpointManifest manifest = CheckpointStore.readManifest(checkpoint);
        GptConfig config = TrainingLoop.modelConfig(manifest);
        String tokenizerSource = tokenizerSource(manifest, checkpoint, tokenizerJson);
        Files.createDirectories(out);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        long parameters = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = GptParameters.open(config, manager, TrainingLoop.parametersFile(checkpoint));
            Map<String, Parameter> byName = new HashMap<>();
            for (Pair<String, Parameter> p : gpt.getParameters()) {
                byName.put(p.getKey(), p.getValue());
            }
            for (Map.Entry<String, long[]> e : Gpt2Layout.of(config).entrySet()) {
                String local = e.getKey().substring(Gpt2Layout.PREFIX.length());
                long[] shape = e.getValue();
                Parameter p = byName.get(local);
                float[] data;
                if (p != null) {
                    if (!java.util.Arrays.equals(p.getArray().getShape().getShape(), shape)) {
                        throw new IllegalStateException("parameter " + local + " has shape " + p.getArray().getShape()
                                + ", GPT-2 wants " + java.util.Arrays.toString(shape));
                    }
                    data = p.getArray().toFloatArray();
                    parameters += data.length;
                } else if (local.endsWith(".bias")) {
                    data = new float[(int) shape[0]]; // trained without biases: zero computes the same
                } else {
                    throw new IllegalStateException("the model has no parameter " + local);
                }
                tensors.add(new SafetensorsWriter.Tensor(e.getKey(), shape, data));
            }
        }
        SafetensorsWriter.write(out.resolve("model.safetensors"), tensors, Map.of("format", "pt",
                "millrace_run", manifest.run(), "millrace_step", Long.toString(manifest.step())));
        SpecialToken eot = writeTokenizer(checkpoint, tokenizerJson, out);
        Files.write(out.resolve("config.json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config(config, manifest, eot)));
        Files.write(out.resolve("tokenizer_config.json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tokenizerConfig(config, eot)));
        return new Result(out, tensors.size(), parameters, tokenizerSource);
    }

    /** GPT-2's config.json for this shape. */
    static ObjectNode config(GptConfig c, CheckpointManifest manifest, SpecialToken eot) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.putArray("architectures").add("GPT2LMHeadModel");
        n.put("model_type", "gpt2");
        n.put("vocab_size", c.vocabSize());
        n.put("n_positions", c.contextLength());
        n.put("n_ctx", c.contextLength());
        n.put("n_embd", c.dModel());
        n.put("n_layer", c.nLayers());
        n.put("n_head", c.nHeads());
        n.putNull("n_inner");
        n.put("activation_function", "gelu"); // exact erf GELU, not GPT-2's tanh "gelu_new"
        n.put("resid_pdrop", c.dropout());
        n.put("embd_pdrop", c.dropout());
        n.put("attn_pdrop", c.dropout());
        n.put("layer_norm_epsilon", 1e-5);
        n.put("initializer_range", 0.02);
        n.put("scale_attn_weights", true);
        n.put("scale_attn_by_inverse_layer_idx", false);
        n.put("reorder_and_upcast_attn", false);
        n.put("use_cache", true);
        n.put("tie_word_embeddings", true);
        if (eot != null) {
            n.put("bos_token_id", eot.id());
            n.put("eos_token_id", eot.id());
        }
        n.put("torch_dtype", "float32");
        n.put("millrace_run", manifest.run());
        n.put("millrace_step", manifest.step());
        n.put("millrace_tokenizer", manifest.tokenizer());
        return n;
    }

    /** The end-of-text token of a tokenizer.json: its id and text. */
    record SpecialToken(int id, String content) {
    }

    private static ObjectNode tokenizerConfig(GptConfig c, SpecialToken eot) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("tokenizer_class", "PreTrainedTokenizerFast");
        n.put("model_max_length", c.contextLength());
        if (eot != null) {
            n.put("bos_token", eot.content());
            n.put("eos_token", eot.content());
        }
        n.put("clean_up_tokenization_spaces", false);
        return n;
    }

    private static String tokenizerSource(CheckpointManifest manifest, Path checkpoint, Path given) {
        if (given != null) {
            if (!Files.isRegularFile(given)) {
                throw new IllegalArgumentException("--tokenizer-json " + given + ": no such file");
            }
            return given.toString();
        }
        if (Files.isRegularFile(checkpoint.resolve("tokenizer.json"))) {
            return checkpoint.resolve("tokenizer.json").toString();
        }
        if (ByteTokenizer.NAME.equals(manifest.tokenizer())) {
            return "byte-level equivalent of " + ByteTokenizer.NAME;
        }
        throw new IllegalArgumentException("checkpoint " + checkpoint + " was trained with tokenizer '" + manifest.tokenizer()
                + "' and holds no tokenizer.json: pass its tokenizer.json with --tokenizer-json");
    }

    /** Copies or writes tokenizer.json and returns its end-of-text token (a special added token), if any. */
    private static SpecialToken writeTokenizer(Path checkpoint, Path given, Path out) throws IOException {
        Path source = given != null ? given
                : Files.isRegularFile(checkpoint.resolve("tokenizer.json")) ? checkpoint.resolve("tokenizer.json") : null;
        Path target = out.resolve("tokenizer.json");
        if (source != null) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.write(target, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(ByteLevelTokenizerJson.create()));
        }
        for (var added : Json.MAPPER.readTree(target.toFile()).path("added_tokens")) {
            String content = added.path("content").asText();
            if (added.path("special").asBoolean() && content.toLowerCase(java.util.Locale.ROOT).contains("endoftext")) {
                return new SpecialToken(added.path("id").asInt(), content);
            }
        }
        return null;
    }

    /** The tensor names and shapes of HF's GPT-2, in state-dict order. */
    static final class Gpt2Layout {
        static final String PREFIX = "transformer.";

        private Gpt2Layout() {
        }

        static Map<String, long[]> of(GptConfig c) {
            long v = c.vocabSize();
            long t = c.contextLength();
            long d = c.dModel();
            Map<String, long[]> m = new LinkedHashMap<>();
            m.put(PREFIX + "wte.weight", new long[] {v, d});
            m.put(PREFIX + "wpe.weight", new long[] {t, d});
            for (int i = 0; i < c.nLayers(); i++) {
                String h = PREFIX + "h." + i + ".";
                m.put(h + "ln_1.weight", new long[] {d});
                m.put(h + "ln_1.bias", new long[] {d});
                m.put(h + "attn.c_attn.weight", new long[] {d, 3 * d});
                m.put(h + "attn.c_attn.bias", new long[] {3 * d});
                m.put(h + "attn.c_proj.weight", new long[] {d, d});
                m.put(h + "attn.c_proj.bias", new long[] {d});
                m.put(h + "ln_2.weight", new long[] {d});
                m.put(h + "ln_2.bias", new long[] {d});
                m.put(h + "mlp.c_fc.weight", new long[] {d, 4 * d});
                m.put(h + "mlp.c_fc.bias", new long[] {4 * d});
                m.put(h + "mlp.c_proj.weight", new long[] {4 * d, d});
                m.put(h + "mlp.c_proj.bias", new long[] {d});
            }
            m.put(PREFIX + "ln_f.weight", new long[] {d});
            m.put(PREFIX + "ln_f.bias", new long[] {d});
            return m;
        }
    }
}
