package org.millrace.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptTest {

    private static final int VOCAB = 97;
    private static final GptConfig CONFIG = new GptConfig(VOCAB, 32, 32, 2, 4, 0.0, true);

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private Gpt model(long seed) {
        Gpt gpt = new Gpt(CONFIG);
        gpt.initialize(manager, seed);
        return gpt;
    }

    @Test
    void logitsHaveShapeBatchTimeVocab() {
        Gpt gpt = model(1);
        NDArray logits = gpt.logits(TokenData.random(manager, 1, 3, 17, VOCAB), null);
        assertEquals(new Shape(3, 17, VOCAB), logits.getShape());
        assertEquals(DataType.FLOAT32, logits.getDataType());
        NDArray logProbs = gpt.tokenLogProbs(TokenData.random(manager, 2, 3, 18, VOCAB));
        assertEquals(new Shape(3, 17), logProbs.getShape());
        assertTrue(logProbs.max().getFloat() <= 0f);
    }

    @Test
    void changingAFutureTokenLeavesEarlierLogitsAlone() {
        Gpt gpt = model(2);
        NDArray tokens = TokenData.random(manager, 3, 2, 20, VOCAB);
        NDArray changed = tokens.duplicate();
        changed.set(new NDIndex(":, 12"), tokens.get(":, 12").add(1).mod(VOCAB));
        NDArray before = gpt.logits(tokens, null);
        NDArray after = gpt.logits(changed, null);
        assertTrue(before.get(":, :12").allClose(after.get(":, :12"), 0, 0, false),
                "positions before the change must not see it");
        assertFalse(before.get(":, 12:").allClose(after.get(":, 12:"), 1e-4, 1e-4, false),
                "positions from the change on must see it");
    }

    @Test
    void withoutBiasesTheModelHasNoBiasParametersAndStillRuns() {
        Gpt gpt = new Gpt(new GptConfig(VOCAB, 32, 32, 2, 4, 0.0, false));
        gpt.initialize(manager, 5);
        assertTrue(gpt.getParameters().keys().stream().noneMatch(k -> k.endsWith(".bias")),
                "bias=false must not create bias parameters");
        float loss = gpt.loss(TokenData.random(manager, 6, 2, 17, VOCAB), false).getFloat();
        assertEquals(Math.log(VOCAB), loss, 0.1, "a fresh model without biases predicts nearly uniformly too");
    }

    @Test
    void lossAtInitialisationIsAboutLnVocab() {
        Gpt gpt = model(3);
        float loss = gpt.loss(TokenData.random(manager, 4, 8, 33, VOCAB), false).getFloat();
        assertEquals(Math.log(VOCAB), loss, 0.1, "a fresh model predicts nearly uniformly");
    }

    @Test
    void dropoutActsInTrainingOnly() {
        Gpt gpt = new Gpt(new GptConfig(VOCAB, 32, 32, 2, 4, 0.2, true));
        gpt.initialize(manager, 9);
        NDArray tokens = TokenData.random(manager, 5, 2, 16, VOCAB);
        assertTrue(gpt.logits(tokens, null).contentEquals(gpt.logits(tokens, null)));
        assertFalse(gpt.forward(tokens, null, true).allClose(gpt.forward(tokens, null, true), 1e-4, 1e-4, false));
    }

    @Test
    void parameterNamesAreHuggingFaceGpt2Names() {
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : new Gpt(new GptConfig(VOCAB, 32, 32, 1, 4, 0.0, true)).getParameters()) {
            names.add(p.getKey());
        }
        assertEquals(List.of("wte.weight", "wpe.weight",
                "h.0.ln_1.weight", "h.0.ln_1.bias",
                "h.0.attn.c_attn.weight", "h.0.attn.c_attn.bias",
                "h.0.attn.c_proj.weight", "h.0.attn.c_proj.bias",
                "h.0.ln_2.weight", "h.0.ln_2.bias",
                "h.0.mlp.c_fc.weight", "h.0.mlp.c_fc.bias",
                "h.0.mlp.c_proj.weight", "h.0.mlp.c_proj.bias",
                "ln_f.weight", "ln_f.bias"), names);
    }

    @Test
    void initialisationFollowsGpt2() {
        Gpt gpt = new Gpt(new GptConfig(VOCAB, 64, 128, 8, 4, 0.0, true));
        gpt.initialize(manager, 4);
        float residualStd = std(param(gpt, "h.3.mlp.c_proj.weight"));
        float plainStd = std(param(gpt, "h.3.mlp.c_fc.weight"));
        assertEquals(0.02, plainStd, 0.001);
        assertEquals(0.02 / Math.sqrt(16), residualStd, 0.0005);
        assertTrue(param(gpt, "h.0.ln_1.weight").eq(1f).all().getBoolean());
        assertTrue(param(gpt, "h.0.attn.c_attn.bias").eq(0f).all().getBoolean());
        assertTrue(gpt.isWeightDecayed(gpt.getParameters().get("h.0.attn.c_attn.weight")));
        assertFalse(gpt.isWeightDecayed(gpt.getParameters().get("wte.weight")));
        assertFalse(gpt.isWeightDecayed(gpt.getParameters().get("h.0.attn.c_attn.bias")));
        assertFalse(gpt.isWeightDecayed(gpt.getParameters().get("ln_f.weight")));
    }

    @Test
    void sameSeedSameParametersOtherSeedOthers() {
        Gpt a = model(42);
        Gpt b = model(42);
        Gpt c = model(43);
        for (Pair<String, Parameter> p : a.getParameters()) {
            NDArray other = b.getParameters().get(p.getKey()).getArray();
            assertTrue(p.getValue().getArray().contentEquals(other), p.getKey());
        }
        assertFalse(param(a, "wte.weight").contentEquals(param(c, "wte.weight")));
    }

    @Test
    void savedParametersLoadBackToIdenticalLogits(@TempDir Path dir) throws Exception {
        Gpt original = model(5);
        Path file = dir.resolve("gpt.params");
        GptParameters.save(original, file);
        Gpt reopened = GptParameters.open(CONFIG, manager, file);
        Gpt overwritten = model(6);
        GptParameters.load(overwritten, manager, file);
        NDArray tokens = TokenData.random(manager, 7, 2, 16, VOCAB);
        NDArray expected = original.logits(tokens, null);
        assertTrue(expected.contentEquals(reopened.logits(tokens, null)));
        assertTrue(expected.contentEquals(overwritten.logits(tokens, null)));

        Gpt otherShape = new Gpt(new GptConfig(VOCAB, 32, 32, 2, 2, 0.0, true));
        Exception wrong = assertThrows(java.io.IOException.class, () -> GptParameters.load(otherShape, manager, file));
        assertTrue(wrong.getMessage().contains("saved for"), wrong.getMessage());
    }

    @Test
    void kvCacheDecodingMatchesTheFullForwardPass() {
        Gpt gpt = model(8);
        NDArray tokens = TokenData.random(manager, 9, 2, 12, VOCAB);
        NDArray full = gpt.logits(tokens, null);                                       // (2, 12, V)
        try (KvCache cache = gpt.newKvCache(manager); NDManager step = manager.newSubManager()) {
            NDArray prompt = gpt.logits(tokens.get(step, new NDIndex(":, :5")), cache);
            assertTrue(full.get(":, :5").allClose(prompt, 1e-5, 1e-5, false));
            for (int t = 5; t < 12; t++) {
                NDArray next = gpt.logits(tokens.get(step, new NDIndex(":, {}:{}", t, t + 1)), cache);
                assertTrue(full.get(new NDIndex(":, {}:{}", t, t + 1)).allClose(next, 1e-5, 1e-5, false),
                        "position " + t);
            }
            assertEquals(12, cache.length());
            NDArray tooLong = TokenData.random(step, 10, 2, 21, VOCAB);
            Exception e = assertThrows(IllegalArgumentException.class, () -> gpt.logits(tooLong, cache));
            assertTrue(e.getMessage().contains("millrace.model.context-length"), e.getMessage());
        }
    }

    @Test
    void forwardLeavesNothingInTheParameterManager() {
        Gpt gpt = model(11);
        int before = manager.getManagedArrays().size();
        try (NDManager request = manager.newSubManager()) {
            gpt.logits(TokenData.random(request, 12, 2, 16, VOCAB), null);
            gpt.tokenLogProbs(TokenData.random(request, 13, 2, 16, VOCAB));
            try (KvCache cache = gpt.newKvCache(manager)) {
                gpt.logits(TokenData.random(request, 14, 2, 4, VOCAB), cache);
                gpt.logits(TokenData.random(request, 15, 2, 1, VOCAB), cache);
            }
        }
        assertEquals(before, manager.getManagedArrays().size());
    }

    private static NDArray param(Gpt gpt, String name) {
        return gpt.getParameters().get(name).getArray();
    }

    private static float std(NDArray a) {
        float[] v = a.toFloatArray();
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += x * x;
        }
        double mean = sum / v.length;
        return (float) Math.sqrt(sq / v.length - mean * mean);
    }
}
