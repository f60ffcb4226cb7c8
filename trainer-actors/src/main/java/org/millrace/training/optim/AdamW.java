package org.millrace.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov &amp; Hutter) with decoupled weight decay applied to chosen parameters only,
 * computing exactly what PyTorch's {@code torch.optim.AdamW} computes:
 * <pre>
 *   p ← p·(1 − lr·wd)                         (decayed parameters only)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 * </pre>
 *
 * <p>Written with NDArray ops rather than taken from DJL: DJL's {@code Adam} adds weight decay to
 * the gradient (L2, coupled, not AdamW), receives parameter ids rather than names so it cannot
 * exempt LayerNorms, biases and embeddings, and keeps its moments in private maps that cannot be
 * exported for a checkpoint.
 *
 * <p>State: the step count and two moments per parameter, named {@code <parameter>.exp_avg} and
 * {@code <parameter>.exp_avg_sq} as PyTorch's state dict; {@link #writeState}/{@link #readState}
 * round-trip it bit for bit.
 */
public final class AdamW implements AutoCloseable {

    private static final String FORMAT = "millrace.adamw";
    private static final int FORMAT_VERSION = 1;

    private final AdamWSettings settings;
    private final NDManager stateManager;
    private final List<Slot> slots = new ArrayList<>();
    private long stepCount;

    /** One trainable parameter and its moments. */
    private static final class Slot {
        final String name;
        final Parameter parameter;
        final boolean decayed;
        NDArray expAvg;
        NDArray expAvgSq;

        Slot(String name, Parameter parameter, boolean decayed) {
            this.name = name;
            this.parameter = parameter;
            this.decayed = decayed;
        }
    }

    /**
     * @param settings the hyper-parameters
     * @param parameters name → parameter, in a fixed order (e.g. {@code block.getParameters()});
     *     parameters that do not require gradients are left alone
     * @param decayed which parameters get weight decay
     * @param manager parent of the manager that will own the moments (on the parameters' device)
     */
    public AdamW(AdamWSettings settings, Map<String, Parameter> parameters, Predicate<Parameter> decayed,
            NDManager manager) {
        this.settings = settings;
        this.stateManager = manager.newSubManager();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient()) {
                continue;
            }
            Slot slot = new Slot(e.getKey(), p, decayed.test(p));
            NDArray array = p.getArray();
            slot.expAvg = stateManager.zeros(array.getShape(), array.getDataType());
            slot.expAvgSq = stateManager.zeros(array.getShape(), array.getDataType());
            slots.add(slot);
        }
    }

    /** The parameters this optimizer updates, in order. */
    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            list.add(s.parameter);
        }
        return list;
    }

    /** Names of the parameters that get weight decay. */
    public List<String> decayedParameterNames() {
        List<String> names = new ArrayList<>();
        for (Slot s : slots) {
            if (s.decayed) {
                names.add(s.name);
            }
        }
        return names;
    }

    /** Updates applied so far (t of the bias correction is {@code stepCount()} after an update). */
    public long stepCount() {
        return stepCount;
    }

    /**
     * Applies one update from the gradients accumulated in the parameters, then zeroes them.
     *
     * @param learningRate the rate for this update (see {@link LearningRateSchedule#at(long)})
     */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    public void step(double learningRate) {
        stepCount++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double stepSize = learningRate / (1 - Math.pow(b1, stepCount));
        double correction2Root = Math.sqrt(1 - Math.pow(b2, stepCount));
        try (Autograd.Scope ignored = Autograd.disabled()) {
            for (Slot s : slots) {
                NDArray p = s.parameter.getArray();
                try (NDManager scratch = stateManager.newSubManager()) {
                    // Results of ops attach to their first operand's manager: borrow p, m and v so
                    // every temporary lands in scratch and is freed with it.
                    scratch.tempAttachAll(p, s.expAvg, s.expAvgSq);
                    NDArray g = p.getGradient();                                       // same shape as p
                    if (s.decayed && settings.weightDecay() > 0) {
                        p.muli(1 - learningRate * settings.weightDecay());
                    }
                    s.expAvg.muli(b1).addi(g.mul(1 - b1));
                    s.expAvgSq.muli(b2).addi(g.square().muli(1 - b2));
                    NDArray denominator = s.expAvgSq.sqrt().divi(correction2Root).addi(settings.epsilon());
                    p.subi(s.expAvg.div(denominator).muli(stepSize));
                    Autograd.zeroGradient(p);
                }
            }
        }
    }

    /** Zeroes the accumulated gradients without updating (e.g. to drop a non-finite step). */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    public void zeroGradients() {
        try (Autograd.Scope ignored = Autograd.disabled()) {
            for (Slot s : slots) {
                Autograd.zeroGradient(s.parameter.getArray());
            }
        }
    }

    /**
     * The moments by PyTorch state-dict name ({@code h.0.attn.c_attn.weight.exp_avg}, ...). The
     * arrays are live and owned by this optimizer: read them, do not close them.
     */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (Slot s : slots) {
            state.put(s.name + ".exp_avg", s.expAvg);
            state.put(s.name + ".exp_avg_sq", s.expAvgSq);
        }
        return Collections.unmodifiableMap(state);
    }

    /** Writes the step count and every moment, exactly. */
    public void writeState(DataOutputStream out) throws IOException {
        out.writeUTF(FORMAT);
        out.writeInt(FORMAT_VERSION);
        out.writeLong(stepCount);
        out.writeInt(slots.size());
        for (Slot s : slots) {
            out.writeUTF(s.name);
            writeArray(out, s.expAvg);
            writeArray(out, s.expAvgSq);
        }
    }

    /**
     * Replaces the state with one written by {@link #writeState} for the same parameters (same
     * names, order and shapes). Nothing changes if the input does not match.
     */
    public void readState(DataInputStream in) throws IOException {
        String format = in.readUTF();
        int version = in.readInt();
        if (!FORMAT.equals(format) || version != FORMAT_VERSION) {
            throw new IOException("not AdamW state of format " + FORMAT + " v" + FORMAT_VERSION
                    + " (got " + format + " v" + version + ")");
        }
        long steps = in.readLong();
        int count = in.readInt();
        if (count != slots.size()) {
            throw new IOException("AdamW state holds " + count + " parameters, this optimizer has " + slots.size());
        }
        List<NDArray> read = new ArrayList<>(2 * count);
        try {
            for (Slot s : slots) {
                String name = in.readUTF();
                if (!name.equals(s.name)) {
                    throw new IOException("AdamW state has parameter '" + name + "' where '" + s.name + "' was expected");
                }
                for (int i = 0; i < 2; i++) {
                    NDArray a = readArray(in);
                    read.add(a);
                    if (!a.getShape().equals(s.expAvg.getShape())) {
                        throw new IOException("AdamW state for '" + name + "' has shape " + a.getShape()
                                + ", the parameter has " + s.expAvg.getShape());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            read.forEach(NDArray::close);
            throw e;
        }
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            s.expAvg.close();
            s.expAvgSq.close();
            s.expAvg = read.get(2 * i);
            s.expAvgSq = read.get(2 * i + 1);
        }
        stepCount = steps;
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private NDArray readArray(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("AdamW state has a negative array length " + length);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("AdamW state ends inside an array");
        }
        return stateManager.decode(bytes);
    }

    /** Frees the moments. */
    @Override
    public void close() {
        stateManager.close();
    }
}
