package org.millrace.training.model;

import ai.djl.nn.Parameter;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptConfigTest {

    private static final int GPT2_VOCAB = 50257;

    @Test
    void invalidShapesAreRejectedNamingTheSetting() {
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> new GptConfig(256, 128, 128, 2, 6, 0.0, true));
        assertEquals("millrace.model.n-heads must divide d-model (got 6 for 128)", heads.getMessage());
        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class,
                () -> new GptConfig(256, 128, 128, 2, 4, 1.0, true));
        assertTrue(dropout.getMessage().startsWith("millrace.model.dropout"), dropout.getMessage());
        IllegalArgumentException vocab = assertThrows(IllegalArgumentException.class,
                () -> GptConfig.tiny(0));
        assertTrue(vocab.getMessage().startsWith("millrace.model.vocab-size"), vocab.getMessage());
        IllegalArgumentException preset = assertThrows(IllegalArgumentException.class,
                () -> GptConfig.preset("huge", 256));
        assertTrue(preset.getMessage().startsWith("millrace.model.preset"), preset.getMessage());
    }

    @Test
    void gpt2ParameterCountsMatchTheKnownFigures() {
        assertEquals(124_439_808L, GptConfig.gpt125m(GPT2_VOCAB).parameterCount());
        assertEquals(354_823_168L, GptConfig.gpt350m(GPT2_VOCAB).parameterCount());
        long phi1 = GptConfig.gpt1p3b(GPT2_VOCAB).parameterCount();
        assertTrue(phi1 > 1_250_000_000L && phi1 < 1_350_000_000L, "1.3b preset has " + phi1);
        assertTrue(GptConfig.tiny(256).parameterCount() < 1_000_000L);
        long small = GptConfig.small(4096).parameterCount();
        assertTrue(small > 2_000_000L && small < 10_000_000L, "small preset has " + small);
    }

    @Test
    void formulaCountsWhatTheModelDeclares() {
        for (String preset : GptConfig.PRESETS) {
            GptConfig config = GptConfig.preset(preset, GPT2_VOCAB);
            assertEquals(config.parameterCount(), declaredParameters(new Gpt(config)), preset);
        }
        GptConfig noBias = new GptConfig(300, 64, 96, 3, 4, 0.1, false);
        assertEquals(noBias.parameterCount(), declaredParameters(new Gpt(noBias)));
    }

    @Test
    void memoryEstimateCountsSixteenBytesPerParameterPlusActivations() {
        GptConfig config = GptConfig.gpt125m(GPT2_VOCAB);
        TrainingMemory memory = config.trainingMemory(8);
        assertEquals(16 * config.parameterCount(),
                memory.parameterBytes() + memory.gradientBytes() + memory.optimizerBytes());
        assertTrue(memory.activationBytes() > memory.parameterBytes(), memory.toString());
        assertTrue(config.trainingMemory(16).activationBytes() > memory.activationBytes());
        assertThrows(IllegalArgumentException.class, () -> config.trainingMemory(0));
    }

    @Test
    void configReadsThePresetAndItsOverrides() {
        Config config = ConfigFactory.parseString(
                "millrace.model { preset = tiny, d-model = 96, n-heads = 3, dropout = 0.1 }")
                .withFallback(ConfigFactory.defaultReference()).resolve();
        GptConfig gpt = GptConfig.fromConfig(config, 300);
        assertEquals(new GptConfig(300, 128, 96, 2, 3, 0.1, true), gpt);

        assertEquals(GptConfig.small(512), GptConfig.fromConfig(ConfigFactory.defaultReference(), 512));

        Config padded = ConfigFactory.parseString("millrace.model.vocab-size = 320")
                .withFallback(ConfigFactory.defaultReference());
        assertEquals(320, GptConfig.fromConfig(padded, 300).vocabSize());
        assertEquals(320, GptConfig.fromConfig(padded).vocabSize());
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> GptConfig.fromConfig(padded, 400));
        assertTrue(tooSmall.getMessage().contains("millrace.model.vocab-size"), tooSmall.getMessage());
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> GptConfig.fromConfig(ConfigFactory.defaultReference()));
        assertTrue(unset.getMessage().contains("millrace.model.vocab-size"), unset.getMessage());
    }

    private static long declaredParameters(Gpt gpt) {
        long n = 0;
        for (Parameter p : gpt.getDirectParameters().values()) {
            n += p.getShape().size();
        }
        return n;
    }
}
