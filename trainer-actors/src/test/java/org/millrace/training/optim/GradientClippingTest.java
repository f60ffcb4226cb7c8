package org.millrace.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradientClippingTest {

    private NDManager manager;
    private Parameter a;
    private Parameter b;

    @BeforeEach
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    void gradientsOfNormFive() {
        manager = NDManager.newBaseManager();
        a = parameter("a", new float[] {1f, 1f});
        b = parameter("b", new float[] {7f});
        // loss = 3·a0 + 0·a1 + 4·b0 → gradients (3, 0) and (4): global norm 5
        try (NDManager step = manager.newSubManager(); Autograd.Scope ignored = Autograd.enabled()) {
            NDArray loss = step.create(new float[] {3f, 0f}).mul(a.getArray()).sum()
                    .add(step.create(new float[] {4f}).mul(b.getArray()).sum());
            Autograd.backward(loss);
        }
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private Parameter parameter(String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optArray(manager.create(values)).build();
        p.initialize(manager, DataType.FLOAT32);
        return p;
    }

    private static float[] gradient(Parameter p) {
        try (NDArray g = p.getArray().getGradient()) {
            return g.toFloatArray();
        }
    }

    @Test
    void clipsToTheMaximumAndReturnsThePreClipNorm() {
        double norm = GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-6);
        assertArrayEquals(new float[] {0.6f, 0f}, gradient(a), 1e-6f);
        assertArrayEquals(new float[] {0.8f}, gradient(b), 1e-6f);
        assertEquals(1.0, GradientClipping.clipByGlobalNorm(List.of(a, b), 0), 1e-6);
    }

    @Test
    void leavesSmallGradientsAlone() {
        assertEquals(5.0, GradientClipping.clipByGlobalNorm(List.of(a, b), 10.0), 1e-6);
        assertArrayEquals(new float[] {3f, 0f}, gradient(a), 0f);
        assertEquals(5.0, GradientClipping.clipByGlobalNorm(List.of(a, b), 0), 1e-6);
        assertArrayEquals(new float[] {4f}, gradient(b), 0f);
    }
}
