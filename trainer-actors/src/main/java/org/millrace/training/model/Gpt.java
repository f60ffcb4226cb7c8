package org.millrace.training.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.millrace.training.optim.Autograd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A decoder-only GPT with the GPT-2 architecture, laid out like nanoGPT's model.py: learned
 * position embeddings, pre-LayerNorm blocks of hand-written causal self-attention and a 4× GELU
 * MLP, a final LayerNorm, and an output head tied to the token embedding.
 *
 * <p><b>Parameter names</b> are Hugging Face {@code GPT2Model} state-dict keys, one to one, with the
 * same shapes: {@code wte.weight (V, C)}, {@code wpe.weight (T, C)}, {@code h.N.ln_1.weight|bias (C)},
 * {@code h.N.attn.c_attn.weight (C, 3C)|bias (3C)}, {@code h.N.attn.c_proj.weight (C, C)|bias (C)},
 * {@code h.N.ln_2.weight|bias (C)}, {@code h.N.mlp.c_fc.weight (C, 4C)|bias (4C)},
 * {@code h.N.mlp.c_proj.weight (4C, C)|bias (C)}, {@code ln_f.weight|bias (C)}. Linear weights are
 * stored (in, out) like HF's {@code Conv1D}, so export is a copy, not a transpose.
 * {@code GPT2LMHeadModel} prefixes each key with {@code transformer.} and ties {@code lm_head.weight}
 * to {@code wte.weight}, as here. HF's GELU for GPT-2 is the tanh approximation
 * ({@code gelu_new}); this model uses the exact erf form, so an exported config says
 * {@code "activation_function": "gelu"}.
 *
 * <p>The sub-modules are plain inner classes registering their parameters on this one block: DJL
 * child blocks would rename them ({@code 01h_02attn_weight}, a counter per child joined by
 * underscores).
 *
 * <p><b>Memory</b>: every array a forward pass creates is attached to the manager of its input
 * tokens; close that manager (one per step or request) and nothing is left behind. Parameters live
 * in the manager passed to {@link #initialize(NDManager, long)}. A {@code Gpt} is not thread-safe.
 */
public final class Gpt extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float LAYER_NORM_EPS = 1e-5f;
    private static final double INIT_STD = 0.02;

    private final GptConfig config;
    private final Parameter wte;
    private final Parameter wpe;
    private final List<TransformerBlock> h = new ArrayList<>();
    private final Norm lnF;
    private final Set<Parameter> decayed = new HashSet<>();

    /** Declares the parameters; call {@link #initialize(NDManager, long)} to create them. */
    public Gpt(GptConfig config) {
        super(VERSION);
        this.config = config;
        int c = config.dModel();
        wte = normal("wte.weight", new Shape(config.vocabSize(), c), INIT_STD);
        wpe = normal("wpe.weight", new Shape(config.contextLength(), c), INIT_STD);
        for (int i = 0; i < config.nLayers(); i++) {
            h.add(new TransformerBlock("h." + i + "."));
        }
        lnF = new Norm("ln_f.");
    }

    /** The shape this model was built with. */
    public GptConfig config() {
        return config;
    }

    /**
     * Creates every parameter on {@code manager}'s device with GPT-2 initialisation: normal(0, 0.02),
     * residual projections normal(0, 0.02/√(2·nLayers)), LayerNorm gains 1, biases 0. Values come
     * from a Java RNG seeded by {@code seed} and the parameter name, so they are the same on every
     * device and engine and independent of any other RNG use.
     */
    public void initialize(NDManager manager, long seed) {
        for (Parameter p : getDirectParameters().values()) {
            if (p.getInitializer() instanceof SeededNormal s) {
                p.setInitializer(s.withSeed(seed));
            }
        }
        initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength()));
    }

    /** Whether AdamW decays this parameter: the linear weights only (not LayerNorms, biases, embeddings). */
    public boolean isWeightDecayed(Parameter parameter) {
        return decayed.contains(parameter);
    }

    /** A cache for incremental decoding, its arrays owned by a sub-manager of {@code manager}. */
    public KvCache newKvCache(NDManager manager) {
        return new KvCache(manager, config.nLayers());
    }

    /**
     * Logits for inference: no gradient recording, no dropout.
     *
     * @param tokens (B, T) int32/int64 token ids, on the model's device
     * @param cache the keys and values of earlier positions, extended by this call; or null
     * @return (B, T, V) logits, attached to the manager of {@code tokens}
     */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    public NDArray logits(NDArray tokens, KvCache cache) {
        try (Autograd.Scope ignored = Autograd.disabled()) {
            return forward(tokens, cache, false);
        }
    }

    /**
     * Per-token log-probabilities for inference (no gradient, no dropout): entry (b, t) is
     * log p(window[b, t+1] | window[b, 0..t]). Bits-per-byte and multiple-choice scoring sum these.
     *
     * @param window (B, T+1) token ids, on the model's device
     * @return (B, T) float32, attached to the manager of {@code window}
     */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    public NDArray tokenLogProbs(NDArray window) {
        try (Autograd.Scope ignored = Autograd.disabled()) {
            return tokenLogProbs(window, false);
        }
    }

    /**
     * Mean next-token cross-entropy over all B·T positions of a window: inputs {@code [:, :-1]},
     * targets {@code [:, 1:]}. Records gradients if the caller's grad mode is on.
     *
     * @param window (B, T+1) token ids
     * @param training whether dropout is active
     * @return a scalar, in nats
     */
    public NDArray loss(NDArray window, boolean training) {
        return tokenLogProbs(window, training).mean().neg();
    }

    /**
     * Mean next-token cross-entropy over the real positions of each row only: a row of
     * {@code lengths[b]} real tokens predicts its first {@code lengths[b] − 1} targets; the
     * positions after it are end-of-text padding and neither add to the loss nor to its gradient.
     * Records gradients if the caller's grad mode is on.
     *
     * @param window (B, T+1) token ids
     * @param lengths (B) int32 real tokens per row, each in [1, T+1]; at least one row ≥ 2
     * @param training whether dropout is active
     * @return a scalar, in nats
     */
    public NDArray loss(NDArray window, NDArray lengths, boolean training) {
        NDArray logProbs = tokenLogProbs(window, training);                            // (B, T)
        NDArray mask = predictionMask(lengths, logProbs.getShape().get(1));            // (B, T)
        return logProbs.mul(mask).sum().div(mask.sum()).neg();                         // ()
    }

    /**
     * 1 where row b has a real target at position t ({@code t < lengths[b] − 1}), 0 on padding.
     *
     * @param lengths (B) real tokens per row
     * @param t predictions per row (T)
     * @return (B, T) float32, attached to the manager of {@code lengths}
     */
    public static NDArray predictionMask(NDArray lengths, long t) {
        NDManager m = lengths.getManager();
        NDArray positions = m.arange(0, Math.toIntExact(t), 1, DataType.INT64).expandDims(0); // (1, T)
        NDArray predictions = lengths.toType(DataType.INT64, false).sub(1).expandDims(1); // (B, 1)
        return positions.lt(predictions).toType(DataType.FLOAT32, false);             // (B, T)
    }

    /**
     * The forward pass. Records gradients if the caller's grad mode is on.
     *
     * @param tokens (B, T) token ids on the model's device, T + (cache length) ≤ context length
     * @param cache keys and values of earlier positions (inference only), or null
     * @param training whether dropout is active
     * @return (B, T, V) logits
     */
    public NDArray forward(NDArray tokens, KvCache cache, boolean training) {
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("tokens must be (B, T) (got " + shape + ")");
        }
        if (cache != null && training) {
            throw new IllegalArgumentException("a KV cache is for inference, not training");
        }
        int t = Math.toIntExact(shape.get(1));
        int past = cache == null ? 0 : cache.length();
        if (past + t > config.contextLength()) {
            throw new IllegalArgumentException(String.format(
                    "sequence of %d tokens (%d cached + %d new) exceeds millrace.model.context-length %d",
                    past + t, past, t, config.contextLength()));
        }
        NDManager m = tokens.getManager();
        NDArray positions = m.arange(past, past + t);                                  // (T)
        NDArray x = embedding(tokens, wte).add(embedding(positions, wpe));             // (B, T, C) + (T, C)
        x = dropout(x, training);                                                      // (B, T, C)
        NDArray mask = causalMask(m, t, past);                                         // (T, S), S = past + T
        for (int i = 0; i < h.size(); i++) {
            x = h.get(i).forward(x, mask, cache, i, training);                         // (B, T, C)
        }
        if (cache != null) {
            cache.advance(t);
        }
        x = lnF.forward(x);                                                            // (B, T, C)
        return Linear.linear(x, wte.getArray()).singletonOrThrow();                     // (B, T, C) · wteᵀ (C, V) → (B, T, V)
    }

    NDArray tokenLogProbs(NDArray window, boolean training) {
        Shape shape = window.getShape();
        if (shape.dimension() != 2 || shape.get(1) < 2) {
            throw new IllegalArgumentException("a token window must be (B, T+1) with T ≥ 1 (got " + shape + ")");
        }
        NDArray inputs = window.get(":, :-1");                                          // (B, T)
        NDArray targets = window.get(":, 1:").toType(DataType.INT64, false);            // (B, T)
        NDArray logProbs = forward(inputs, null, training).logSoftmax(-1);              // (B, T, V)
        return logProbs.gather(targets.expandDims(-1), -1).squeeze(-1);                 // (B, T, 1) → (B, T)
    }

    /** 0 where query i (absolute position past + i) may attend key j, −∞ where j is in its future. */
    private static NDArray causalMask(NDManager m, int t, int past) {
        NDArray queries = m.arange(past, past + t).expandDims(1);                      // (T, 1)
        NDArray keys = m.arange(0, past + t).expandDims(0);                            // (1, S)
        NDArray allowed = keys.lte(queries);                                           // (T, S) boolean
        Shape ts = allowed.getShape();
        return NDArrays.where(allowed, m.zeros(ts), m.full(ts, Float.NEGATIVE_INFINITY)); // (T, S)
    }

    private static NDArray embedding(NDArray ids, Parameter table) {
        return Embedding.embedding(ids, table.getArray(), SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || config.dropout() == 0.0) {
            return x;
        }
        return Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow();
    }

    /** nanoGPT's Block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
    private final class TransformerBlock {
        private final Norm ln1;
        private final CausalSelfAttention attn;
        private final Norm ln2;
        private final Mlp mlp;

        TransformerBlock(String prefix) {
            ln1 = new Norm(prefix + "ln_1.");
            attn = new CausalSelfAttention(prefix + "attn.");
            ln2 = new Norm(prefix + "ln_2.");
            mlp = new Mlp(prefix + "mlp.");
        }

        NDArray forward(NDArray x, NDArray mask, KvCache cache, int layer, boolean training) {
            x = x.add(attn.forward(ln1.forward(x), mask, cache, layer, training));      // (B, T, C)
            return x.add(mlp.forward(ln2.forward(x), training));                       // (B, T, C)
        }
    }

    /** Multi-head causal self-attention, written out: softmax(q·kᵀ/√d + mask)·v. */
    private final class CausalSelfAttention {
        private final Conv1D cAttn;
        private final Conv1D cProj;

        CausalSelfAttention(String prefix) {
            int c = config.dModel();
            cAttn = new Conv1D(prefix + "c_attn.", c, 3 * c, INIT_STD);
            cProj = new Conv1D(prefix + "c_proj.", c, c, residualStd());
        }

        NDArray forward(NDArray x, NDArray mask, KvCache cache, int layer, boolean training) {
            long b = x.getShape().get(0);
            long t = x.getShape().get(1);
            NDList qkv = cAttn.forward(x).split(3, 2);                                 // 3 × (B, T, C)
            NDArray q = heads(qkv.get(0), b, t);                                       // (B, nh, T, hs)
            NDArray k = heads(qkv.get(1), b, t);                                       // (B, nh, T, hs)
            NDArray v = heads(qkv.get(2), b, t);                                       // (B, nh, T, hs)
            if (cache != null) {
                NDList kv = cache.append(layer, k, v);
                k = kv.get(0);                                                         // (B, nh, S, hs)
                v = kv.get(1);                                                         // (B, nh, S, hs)
            }
            q = q.mul(1.0 / Math.sqrt(config.headSize()));                             // (B, nh, T, hs)
            NDArray att = q.matMul(k.transpose(0, 1, 3, 2));                           // (B, nh, T, hs) @ (B, nh, hs, S) → (B, nh, T, S)
            att = att.add(mask).softmax(-1);                                           // (B, nh, T, S)
            att = dropout(att, training);                                              // (B, nh, T, S)
            NDArray y = att.matMul(v);                                                 // (B, nh, T, S) @ (B, nh, S, hs) → (B, nh, T, hs)
            y = y.transpose(0, 2, 1, 3).reshape(b, t, config.dModel());                // (B, T, nh, hs) → (B, T, C)
            return dropout(cProj.forward(y), training);                                // (B, T, C)
        }

        private NDArray heads(NDArray x, long b, long t) {
            return x.reshape(b, t, config.nHeads(), config.headSize())                 // (B, T, C) → (B, T, nh, hs)
                    .transpose(0, 2, 1, 3);                                            // (B, nh, T, hs)
        }
    }

    /** nanoGPT's MLP: c_fc to 4C, GELU, c_proj back to C. */
    private final class Mlp {
        private final Conv1D cFc;
        private final Conv1D cProj;

        Mlp(String prefix) {
            int c = config.dModel();
            cFc = new Conv1D(prefix + "c_fc.", c, 4 * c, INIT_STD);
            cProj = new Conv1D(prefix + "c_proj.", 4 * c, c, residualStd());
        }

        NDArray forward(NDArray x, boolean training) {
            NDArray hidden = Activation.gelu(cFc.forward(x));                          // (B, T, 4C)
            return dropout(cProj.forward(hidden), training);                           // (B, T, C)
        }
    }

    /** HF's Conv1D: a linear layer with its weight stored (in, out); y = x·W + b. */
    private final class Conv1D {
        private final Parameter weight;
        private final Parameter bias;

        Conv1D(String prefix, int in, int out, double std) {
            weight = normal(prefix + "weight", new Shape(in, out), std);
            decayed.add(weight);
            bias = config.bias() ? constant(prefix + "bias", new Shape(out), Parameter.Type.BIAS) : null;
        }

        NDArray forward(NDArray x) {
            NDArray y = x.matMul(weight.getArray());                                   // (B, T, in) @ (in, out) → (B, T, out)
            return bias == null ? y : y.add(bias.getArray());                          // (B, T, out)
        }
    }

    /** LayerNorm over the last axis, ε = 1e-5, as GPT-2. */
    private final class Norm {
        private final Parameter weight;
        private final Parameter bias;

        Norm(String prefix) {
            Shape c = new Shape(config.dModel());
            weight = constant(prefix + "weight", c, Parameter.Type.GAMMA);
            bias = config.bias() ? constant(prefix + "bias", c, Parameter.Type.BETA) : null;
        }

        NDArray forward(NDArray x) {
            Shape c = new Shape(config.dModel());
            // PyTorch's native layer_norm takes an undefined beta, DJL's binding does not: a zero beta
            // (not a parameter, so never trained or saved) gives the same result without bias.
            NDArray beta = bias != null ? bias.getArray() : x.getManager().zeros(c, x.getDataType());
            return LayerNorm.layerNorm(x, c, weight.getArray(), beta, LAYER_NORM_EPS).singletonOrThrow();  // (B, T, C)
        }
    }

    private double residualStd() {
        return INIT_STD / Math.sqrt(2.0 * config.nLayers());
    }

    private Parameter normal(String name, Shape shape, double std) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(shape).optInitializer(new SeededNormal(0L, name, std)).build());
    }

    private Parameter constant(String name, Shape shape, Parameter.Type type) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(inputs.singletonOrThrow(), null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), config.vocabSize())};
    }

    /**
     * Replaces every parameter with the one read from {@code is}, written by
     * {@link #saveParameters(DataOutputStream)} for the same {@link GptConfig}. The old arrays are
     * closed; if reading fails part-way the model is unusable until a load succeeds.
     */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        loadMetadata(is.readByte(), is);
        for (Parameter p : getDirectParameters().values()) {
            p.close();
            p.load(manager, is);
            p.freeze(false); // Parameter.load does not mark the new array as requiring gradients
        }
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(config.vocabSize());
        os.writeInt(config.contextLength());
        os.writeInt(config.dModel());
        os.writeInt(config.nLayers());
        os.writeInt(config.nHeads());
        os.writeBoolean(config.bias());
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("GPT parameters have format version " + loadVersion
                    + ", this build reads " + VERSION);
        }
        readInputShapes(is);
        GptConfig saved = new GptConfig(is.readInt(), is.readInt(), is.readInt(), is.readInt(),
                is.readInt(), config.dropout(), is.readBoolean());
        if (!saved.equals(config)) {
            throw new MalformedModelException(
                    "parameters were saved for " + saved + ", this model is " + config);
        }
    }
}
