package org.millrace.training.diloco.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.millrace.training.model.Gpt;
import org.millrace.training.optim.Autograd;

/**
 * A model's parameters as one flat fp32 vector, in the block's parameter order (the same on every worker of one
 * model shape): what DiLoCo averages and sends.
 */
public final class ParameterVector {
    private final List<Parameter> parameters = new ArrayList<>();
    private final int size;

    public ParameterVector(Gpt gpt) {
        long total = 0;
        for (Pair<String, Parameter> p : gpt.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException("parameter " + p.getKey() + " is " + array.getDataType() + ", DiLoCo sends fp32 only");
            }
            parameters.add(p.getValue());
            total += array.size();
        }
        this.size = Math.toIntExact(total);
    }

    /** Number of floats. */
    public int size() {
        return size;
    }

    /** A copy of the current parameters. */
    public float[] read() {
        float[] out = new float[size];
        int at = 0;
        for (Parameter p : parameters) {
            float[] values = p.getArray().toFloatArray();
            System.arraycopy(values, 0, out, at, values.length);
            at += values.length;
        }
        return out;
    }

    /** Overwrites the parameters in place (the optimizer keeps its hold on them) with {@code values}. */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    public void write(float[] values, NDManager scratchParent) {
        if (values.length != size) {
            throw new IllegalArgumentException("a parameter vector of " + values.length + " values for a model of " + size);
        }
        int at = 0;
        try (Autograd.Scope ignored = Autograd.disabled(); NDManager scratch = scratchParent.newSubManager()) {
            for (Parameter p : parameters) {
                NDArray array = p.getArray();
                int n = Math.toIntExact(array.size());
                float[] slice = new float[n];
                System.arraycopy(values, at, slice, 0, n);
                NDArray source = scratch.create(slice, array.getShape()).toDevice(array.getDevice(), false); // same shape as p
                // In place, as the optimizer updates: 0·p + v is v exactly (parameters are finite).
                array.muli(0f).addi(source);
                at += n;
            }
        }
    }
}
