package org.millrace.training.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.util.List;
import java.util.Locale;

/**
 * The shape of a GPT-2 style model.
 *
 * <p>Settings live under {@code millrace.model} (see reference.conf): {@code preset} picks a shape,
 * and each of {@code context-length}, {@code d-model}, {@code n-layers}, {@code n-heads},
 * {@code dropout}, {@code bias} overrides the preset when it is not null. The vocabulary size comes
 * from the tokenizer unless {@code vocab-size} is set (it may then be larger, e.g. padded to a
 * multiple of 64, never smaller).
 *
 * @param vocabSize number of token ids (V)
 * @param contextLength longest sequence the model reads, the number of learned positions (T)
 * @param dModel width of the residual stream (C)
 * @param nLayers number of transformer blocks
 * @param nHeads attention heads per block; must divide {@code dModel}
 * @param dropout dropout rate on embeddings, attention weights and residual branches, in [0, 1)
 * @param bias whether the linear layers and LayerNorms carry biases (GPT-2: true)
 */
public record GptConfig(
        int vocabSize, int contextLength, int dModel, int nLayers, int nHeads, double dropout,
        boolean bias) {

    /** Names of the presets, smallest first. */
    public static final List<String> PRESETS = List.of("tiny", "small", "125m", "350m", "1.3b");

    private static final String PREFIX = "millrace.model.";

    public GptConfig {
        positive("vocab-size", vocabSize);
        positive("context-length", contextLength);
        positive("d-model", dModel);
        positive("n-layers", nLayers);
        positive("n-heads", nHeads);
        if (dModel % nHeads != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%sn-heads must divide d-model (got %d for %d)", PREFIX, nHeads, dModel));
        }
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            throw new IllegalArgumentException(
                    PREFIX + "dropout must be in [0, 1) (got " + dropout + ")");
        }
    }

    /** Under 1M parameters for a byte-level vocabulary: unit tests. */
    public static GptConfig tiny(int vocabSize) {
        return new GptConfig(vocabSize, 128, 64, 2, 2, 0.0, true);
    }

    /** A few million parameters: the CPU demo. */
    public static GptConfig small(int vocabSize) {
        return new GptConfig(vocabSize, 256, 256, 4, 4, 0.0, true);
    }

    /** GPT-2 small shape: 124M parameters with the GPT-2 vocabulary (50257). */
    public static GptConfig gpt125m(int vocabSize) {
        return new GptConfig(vocabSize, 1024, 768, 12, 12, 0.0, true);
    }

    /** GPT-2 medium shape: 355M parameters with the GPT-2 vocabulary. */
    public static GptConfig gpt350m(int vocabSize) {
        return new GptConfig(vocabSize, 1024, 1024, 24, 16, 0.0, true);
    }

    /** phi-1 shape (24 layers, width 2048, 32 heads, context 2048): 1.3B parameters. */
    public static GptConfig gpt1p3b(int vocabSize) {
        return new GptConfig(vocabSize, 2048, 2048, 24, 32, 0.0, true);
    }

    /**
     * The preset of the given name.
     *
     * @throws IllegalArgumentException naming {@code millrace.model.preset} if the name is unknown
     */
    public static GptConfig preset(String name, int vocabSize) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> tiny(vocabSize);
            case "small" -> small(vocabSize);
            case "125m" -> gpt125m(vocabSize);
            case "350m" -> gpt350m(vocabSize);
            case "1.3b" -> gpt1p3b(vocabSize);
            default -> throw new IllegalArgumentException(
                    PREFIX + "preset must be one of " + PRESETS + " (got '" + name + "')");
        };
    }

    /**
     * Reads {@code millrace.model} from a full configuration; {@code vocab-size} must be set.
     *
     * @param config the root configuration (holding {@code millrace.model})
     */
    public static GptConfig fromConfig(Config config) {
        Config model = config.getConfig("millrace.model");
        if (!model.hasPath("vocab-size")) {
            throw new IllegalArgumentException(PREFIX
                    + "vocab-size is not set: pass the tokenizer's vocabulary size instead");
        }
        return fromConfig(config, model.getInt("vocab-size"));
    }

    /**
     * Reads {@code millrace.model} from a full configuration, taking the vocabulary size from the
     * tokenizer unless {@code vocab-size} is set to a value at least as large.
     *
     * @param config the root configuration (holding {@code millrace.model})
     * @param tokenizerVocabSize number of ids the tokenizer can produce
     */
    public static GptConfig fromConfig(Config config, int tokenizerVocabSize) {
        Config model = config.getConfig("millrace.model");
        int vocab = tokenizerVocabSize;
        if (model.hasPath("vocab-size")) {
            vocab = model.getInt("vocab-size");
            if (vocab < tokenizerVocabSize) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%svocab-size must be at least the tokenizer's vocabulary (got %d for %d)",
                        PREFIX, vocab, tokenizerVocabSize));
            }
        }
        try {
            GptConfig p = preset(model.getString("preset"), vocab);
            return new GptConfig(vocab,
                    intOr(model, "context-length", p.contextLength),
                    intOr(model, "d-model", p.dModel),
                    intOr(model, "n-layers", p.nLayers),
                    intOr(model, "n-heads", p.nHeads),
                    model.hasPath("dropout") ? model.getDouble("dropout") : p.dropout,
                    model.hasPath("bias") ? model.getBoolean("bias") : p.bias);
        } catch (ConfigException.WrongType e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Width of one attention head, {@code dModel / nHeads}. */
    public int headSize() {
        return dModel / nHeads;
    }

    /**
     * Number of parameters, counting the tied input/output embedding once (the GPT-2 formula):
     * {@code V·C + T·C + L·(12·C² + 13·C) + 2·C} with biases, {@code V·C + T·C + L·12·C² + 2·C}
     * without. 124,439,808 for {@code gpt125m(50257)}.
     */
    public long parameterCount() {
        long c = dModel;
        long embeddings = (long) vocabSize * c + (long) contextLength * c;
        long matrices = 12L * c * c; // c_attn 3C², attn.c_proj C², c_fc 4C², mlp.c_proj 4C²
        // with biases: linear biases 3C + C + 4C + C and ln_1, ln_2 weight and bias 4C; else gains 2C
        long vectors = bias ? 13L * c : 2L * c;
        long finalNorm = bias ? 2L * c : c;
        return embeddings + nLayers * (matrices + vectors) + finalNorm;
    }

    /**
     * Estimated memory to train this model in fp32 with AdamW, at the given micro-batch size and
     * full context length. An estimate, not a measurement: see {@link TrainingMemory}.
     *
     * @param microBatchSize sequences per forward/backward pass
     */
    public TrainingMemory trainingMemory(int microBatchSize) {
        if (microBatchSize <= 0) {
            throw new IllegalArgumentException(
                    "millrace.optim.micro-batch-size must be positive (got " + microBatchSize + ")");
        }
        return TrainingMemory.estimate(this, microBatchSize);
    }

    private static int intOr(Config model, String key, int presetValue) {
        return model.hasPath(key) ? model.getInt(key) : presetValue;
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(PREFIX + key + " must be positive (got " + value + ")");
        }
    }
}
