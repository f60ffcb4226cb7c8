package org.millrace.serving.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Json;
import org.millrace.serving.ExportFixtures;
import org.millrace.training.TrainingLoop;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptParameters;

/**
 * The exported directory is a GPT-2 model: its safetensors header has exactly GPT-2's tensor names,
 * dtypes and shapes, a GPT-2 forward pass written here from those tensors alone gives the checkpoint's
 * logits, and its tokenizer.json tokenizes like the byte tokenizer.
 */
class HfExportTest {
    private static final GptConfig CONFIG = new GptConfig(257, 64, 48, 3, 4, 0.0, true);

    @Test
    void safetensorsHaveTheGpt2LayoutAndRebuildTheCheckpointsLogits(@TempDir Path dir) throws Exception {
        Path checkpoint = ExportFixtures.checkpoint(dir.resolve("checkpoints"), CONFIG, 21);
        HfExport.Result result = HfExport.export(checkpoint, dir.resolve("hf"), null);
        assertEquals(4 + 12 * CONFIG.nLayers(), result.tensors());
        assertEquals(CONFIG.parameterCount(), result.parameters());

        Map<String, Tensor> tensors = read(dir.resolve("hf/model.safetensors"));
        assertEquals(expectedLayout(CONFIG), shapes(tensors));

        JsonNode config = Json.MAPPER.readTree(dir.resolve("hf/config.json").toFile());
        assertEquals("gpt2", config.get("model_type").asText());
        assertEquals("GPT2LMHeadModel", config.get("architectures").get(0).asText());
        assertEquals("gelu", config.get("activation_function").asText());
        assertEquals(CONFIG.vocabSize(), config.get("vocab_size").asInt());
        assertEquals(CONFIG.contextLength(), config.get("n_positions").asInt());
        assertEquals(CONFIG.dModel(), config.get("n_embd").asInt());
        assertEquals(CONFIG.nLayers(), config.get("n_layer").asInt());
        assertEquals(CONFIG.nHeads(), config.get("n_head").asInt());
        assertTrue(config.get("tie_word_embeddings").asBoolean());
        assertEquals(ByteTokenizer.END_OF_TEXT, config.get("eos_token_id").asInt());

        int[] ids = new ByteTokenizer().encode("Exported, then rebuilt.");
        try (NDManager m = NDManager.newBaseManager()) {
            Gpt gpt = GptParameters.open(CONFIG, m, TrainingLoop.parametersFile(checkpoint));
            NDArray expected = gpt.logits(m.create(ids, new Shape(1, ids.length)), null);      // (1, T, V)
            NDArray rebuilt = Gpt2Reference.logits(m, tensors, CONFIG.nHeads(), ids);           // (1, T, V)
            float worst = expected.sub(rebuilt).abs().max().getFloat();
            assertTrue(worst < 1e-4, "largest logit difference " + worst);
        }
    }

    @Test
    void aModelWithoutBiasesExportsZeroBiases(@TempDir Path dir) throws Exception {
        GptConfig noBias = new GptConfig(257, 32, 32, 2, 2, 0.0, false);
        Path checkpoint = ExportFixtures.checkpoint(dir.resolve("checkpoints"), noBias, 5);
        HfExport.export(checkpoint, dir.resolve("hf"), null);
        Map<String, Tensor> tensors = read(dir.resolve("hf/model.safetensors"));
        assertEquals(expectedLayout(noBias), shapes(tensors));
        for (String bias : List.of("transformer.h.1.mlp.c_fc.bias", "transformer.h.0.ln_1.bias", "transformer.ln_f.bias")) {
            for (float v : tensors.get(bias).data()) {
                assertEquals(0f, v, bias);
            }
        }
        float[] gain = tensors.get("transformer.ln_f.weight").data();
        assertEquals(1f, gain[0], "the LayerNorm gains are the model's own");
    }

    @Test
    void tokenizerJsonTokenizesLikeTheByteTokenizer(@TempDir Path dir) throws Exception {
        Path checkpoint = ExportFixtures.checkpoint(dir.resolve("checkpoints"), new GptConfig(257, 16, 16, 1, 2, 0, true), 1);
        HfExport.export(checkpoint, dir.resolve("hf"), null);
        ByteTokenizer bytes = new ByteTokenizer();
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(dir.resolve("hf/tokenizer.json"))) {
            for (String text : List.of("Hello, world!", " two  spaces\tand\ttabs\n", "wörld – ünïcödé ✓ 日本", "\u0000\u007f")) {
                long[] got = hf.encode(text, false, false).getIds();
                assertArrayEquals(Arrays.stream(bytes.encode(text)).asLongStream().toArray(), got, text);
                assertEquals(text, hf.decode(got, false));
            }
            long[] eot = hf.encode("<|endoftext|>", false, false).getIds();
            assertArrayEquals(new long[] {ByteTokenizer.END_OF_TEXT}, eot);
        }
    }

    /** GPT-2's tensors by the rules of its modeling code: Conv1D weights (in, out), tied head, no lm_head. */
    private static Map<String, List<Long>> expectedLayout(GptConfig c) {
        long v = c.vocabSize();
        long d = c.dModel();
        Map<String, List<Long>> m = new TreeMap<>();
        m.put("transformer.wte.weight", List.of(v, d));
        m.put("transformer.wpe.weight", List.of((long) c.contextLength(), d));
        m.put("transformer.ln_f.weight", List.of(d));
        m.put("transformer.ln_f.bias", List.of(d));
        for (int i = 0; i < c.nLayers(); i++) {
            String h = "transformer.h." + i + ".";
            for (String ln : List.of("ln_1", "ln_2")) {
                m.put(h + ln + ".weight", List.of(d));
                m.put(h + ln + ".bias", List.of(d));
            }
            m.put(h + "attn.c_attn.weight", List.of(d, 3 * d));
            m.put(h + "attn.c_attn.bias", List.of(3 * d));
            m.put(h + "attn.c_proj.weight", List.of(d, d));
            m.put(h + "attn.c_proj.bias", List.of(d));
            m.put(h + "mlp.c_fc.weight", List.of(d, 4 * d));
            m.put(h + "mlp.c_fc.bias", List.of(4 * d));
            m.put(h + "mlp.c_proj.weight", List.of(4 * d, d));
            m.put(h + "mlp.c_proj.bias", List.of(d));
        }
        return m;
    }

    record Tensor(List<Long> shape, float[] data) {
    }

    private static Map<String, List<Long>> shapes(Map<String, Tensor> tensors) {
        Map<String, List<Long>> out = new TreeMap<>();
        tensors.forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }

    /** Parses a safetensors file by its specification, checking dtypes and that the data is laid end to end. */
    static Map<String, Tensor> read(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buffer.getLong(0);
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        JsonNode header = Json.MAPPER.readTree(new String(all, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("pt", header.get("__metadata__").get("format").asText());
        long start = 8 + headerLength;
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<Long, Long> spans = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            assertEquals("F32", t.get("dtype").asText(), e.getKey());
            List<Long> shape = new java.util.ArrayList<>();
            long count = 1;
            for (JsonNode d : t.get("shape")) {
                shape.add(d.asLong());
                count *= d.asLong();
            }
            long begin = t.get("data_offsets").get(0).asLong();
            long end = t.get("data_offsets").get(1).asLong();
            assertEquals(4 * count, end - begin, e.getKey());
            spans.put(begin, end);
            float[] data = new float[(int) count];
            ByteBuffer.wrap(all, (int) (start + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            out.put(e.getKey(), new Tensor(shape, data));
        }
        long at = 0;
        while (spans.containsKey(at)) {
            at = spans.remove(at);
        }
        assertTrue(spans.isEmpty(), "tensors laid end to end from offset 0");
        assertEquals(all.length, start + at, "the data ends the file");
        return out;
    }

    /** GPT-2's forward pass (HF modeling_gpt2 with activation "gelu"), from named tensors only. */
    static final class Gpt2Reference {
        private Gpt2Reference() {
        }

        static NDArray logits(NDManager m, Map<String, Tensor> w, int heads, int[] ids) {
            int t = ids.length;
            NDArray wte = array(m, w, "transformer.wte.weight");                                  // (V, C)
            int c = (int) wte.getShape().get(1);
            int hs = c / heads;
            NDArray x = wte.get(m.create(ids).toType(ai.djl.ndarray.types.DataType.INT64, false)) // (T, C)
                    .add(array(m, w, "transformer.wpe.weight").get("0:" + t));                   // (T, C)
            NDArray allowed = m.arange(t).expandDims(0).lte(m.arange(t).expandDims(1));            // (T, T): key ≤ query
            NDArray causal = NDArrays.where(allowed, m.zeros(new Shape(t, t)), m.full(new Shape(t, t), -1e30f)); // (T, T)
            for (int i = 0; w.containsKey("transformer.h." + i + ".ln_1.weight"); i++) {
                String h = "transformer.h." + i + ".";
                NDArray a = layerNorm(x, array(m, w, h + "ln_1.weight"), array(m, w, h + "ln_1.bias"));
                NDArray qkv = a.matMul(array(m, w, h + "attn.c_attn.weight")).add(array(m, w, h + "attn.c_attn.bias")); // (T, 3C)
                NDArray q = qkv.get(":, 0:" + c).reshape(t, heads, hs).transpose(1, 0, 2);                // (nh, T, hs)
                NDArray k = qkv.get(":, " + c + ":" + 2 * c).reshape(t, heads, hs).transpose(1, 0, 2);    // (nh, T, hs)
                NDArray v = qkv.get(":, " + 2 * c + ":").reshape(t, heads, hs).transpose(1, 0, 2);        // (nh, T, hs)
                NDArray scores = q.matMul(k.transpose(0, 2, 1)).div(Math.sqrt(hs));                      // (nh, T, T)
                scores = scores.add(causal);                                                              // (nh, T, T)
                NDArray y = scores.softmax(-1).matMul(v).transpose(1, 0, 2).reshape(t, c);                 // (nh, T, hs) → (T, C)
                x = x.add(y.matMul(array(m, w, h + "attn.c_proj.weight")).add(array(m, w, h + "attn.c_proj.bias")));
                NDArray b = layerNorm(x, array(m, w, h + "ln_2.weight"), array(m, w, h + "ln_2.bias"));
                NDArray hidden = b.matMul(array(m, w, h + "mlp.c_fc.weight")).add(array(m, w, h + "mlp.c_fc.bias")); // (T, 4C)
                hidden = hidden.mul(0.5).mul(hidden.div(Math.sqrt(2)).erf().add(1));                      // exact GELU
                x = x.add(hidden.matMul(array(m, w, h + "mlp.c_proj.weight")).add(array(m, w, h + "mlp.c_proj.bias")));
            }
            x = layerNorm(x, array(m, w, "transformer.ln_f.weight"), array(m, w, "transformer.ln_f.bias"));
            return x.matMul(wte.transpose()).expandDims(0);                                       // (T, C)·(C, V) → (1, T, V)
        }

        private static NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
            NDArray mean = x.mean(new int[] {-1}, true);                                          // (T, 1)
            NDArray centered = x.sub(mean);                                                       // (T, C)
            NDArray variance = centered.square().mean(new int[] {-1}, true);                      // (T, 1)
            return centered.div(variance.add(1e-5).sqrt()).mul(gain).add(bias);                   // (T, C)
        }

        private static NDArray array(NDManager m, Map<String, Tensor> w, String name) {
            Tensor t = w.get(name);
            return m.create(t.data(), new Shape(t.shape().stream().mapToLong(Long::longValue).toArray()));
        }
    }
}
