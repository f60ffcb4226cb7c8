package org.millrace.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd switches for the PyTorch engine, per thread.
 *
 * <p>PyTorch's grad mode is thread-local and on by default in every new thread, while DJL turns it
 * off only on the thread that loads the engine. Actors hop between threads, so whoever updates
 * parameters in place (forbidden on a leaf that requires grad while grad mode is on) or runs a
 * forward pass for inference (which would otherwise record a graph) opens a {@link #disabled()}
 * scope, and whoever trains opens an {@link #enabled()} scope.
 *
 * <p>{@link #backward(NDArray)} is written here rather than taken from DJL's
 * {@code GradientCollector} because the PyTorch collector allows one collector per process: two
 * trainers in one JVM (DiLoCo workers, or a trainer next to a test) could not run backward at the
 * same time. Gradients accumulate into each parameter's {@code .grad} across calls, which is what
 * gradient accumulation over micro-batches needs.
 */
public final class Autograd {

    private Autograd() {}

    /** Turns gradient recording off on this thread until the scope is closed. */
    public static Scope disabled() {
        return new Scope(false);
    }

    /** Turns gradient recording on on this thread until the scope is closed. */
    public static Scope enabled() {
        return new Scope(true);
    }

    /**
     * Back-propagates from a scalar, adding d(target)/d(parameter) into every parameter's
     * gradient. Must run on the thread (and inside the {@link #enabled()} scope) that computed
     * {@code target}.
     */
    public static void backward(NDArray target) {
        if (target.getShape().size() != 1) {
            throw new IllegalArgumentException(
                    "backward needs a scalar target (got shape " + target.getShape() + ")");
        }
        try (NDArray seed = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) seed, false, false);
        }
    }

    /**
     * Sets a parameter's accumulated gradient to zero (PyTorch's {@code zero_grad}), so the next
     * {@link #backward(NDArray)} starts afresh.
     */
    public static void zeroGradient(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /** Restores the previous grad mode of its thread when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean mode) {
            previous = JniUtils.isGradMode();
            JniUtils.setGradMode(mode);
        }

        @Override
        public void close() {
            JniUtils.setGradMode(previous);
        }
    }
}
