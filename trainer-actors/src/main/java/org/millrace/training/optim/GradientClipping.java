package org.millrace.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import java.util.List;

/**
 * Clipping of gradients by their global L2 norm, as PyTorch's {@code clip_grad_norm_}: if the norm
 * over all gradients together exceeds {@code maxNorm}, every gradient is scaled by
 * {@code maxNorm / (norm + 1e-6)}.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Clips the accumulated gradients of {@code parameters} in place.
     *
     * @param parameters parameters whose gradients were filled by backward
     * @param maxNorm largest allowed global norm; 0 or less measures without clipping
     * @return the global norm before clipping (NaN or infinite if a gradient is)
     */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (parameters.isEmpty()) {
            return 0.0;
        }
        try (Autograd.Scope ignored = Autograd.disabled();
                NDManager scratch = parameters.get(0).getArray().getManager().newSubManager()) {
            NDList gradients = new NDList(parameters.size());
            NDList squares = new NDList(parameters.size());
            for (Parameter p : parameters) {
                NDArray g = p.getArray().getGradient(); // a handle on .grad; closing it keeps .grad
                g.attach(scratch);
                gradients.add(g);
                squares.add(g.square().sum());
            }
            NDArray total = NDArrays.stack(squares).sum();                             // ()
            double norm = Math.sqrt(total.toType(DataType.FLOAT64, false).getDouble());
            if (maxNorm > 0 && norm > maxNorm) {
                double scale = maxNorm / (norm + 1e-6);
                for (NDArray g : gradients) {
                    g.muli(scale);
                }
            }
            return norm;
        }
    }
}
