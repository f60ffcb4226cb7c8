package org.millrace.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWTest {

    private static final AdamWSettings SETTINGS = new AdamWSettings(0.9, 0.999, 1e-8, 0.1);
    private static final float[] START = {1.0f, -2.0f, 0.5f};
    private static final float[][] GRADIENTS = {{0.5f, 0.1f, -0.3f}, {-0.2f, 0.4f, 0.0f}};
    private static final double[] RATES = {0.1, 0.05};

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private Parameter parameter(String name) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optArray(manager.create(START)).build();
        p.initialize(manager, DataType.FLOAT32); // marks the array as requiring gradients
        return p;
    }

    /** Fills each parameter's .grad with {@code g} by back-propagating sum(p · g). */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    private void backward(List<Parameter> parameters, float[] g) {
        try (NDManager step = manager.newSubManager(); Autograd.Scope ignored = Autograd.enabled()) {
            NDArray loss = null;
            for (Parameter p : parameters) {
                NDArray term = step.create(g).mul(p.getArray()).sum();
                loss = loss == null ? term : loss.add(term);
            }
            Autograd.backward(loss);
        }
    }

    private AdamW optimizer(Parameter decayed, Parameter plain) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("decayed", decayed);
        params.put("plain", plain);
        return new AdamW(SETTINGS, params, p -> p == decayed, manager);
    }

    @Test
    void updatesMatchAHandComputedAdamWIncludingTheDecayExemption() {
        Parameter decayed = parameter("decayed");
        Parameter plain = parameter("plain");
        try (AdamW adamW = optimizer(decayed, plain)) {
            assertEquals(List.of("decayed"), adamW.decayedParameterNames());
            for (int t = 0; t < GRADIENTS.length; t++) {
                backward(List.of(decayed, plain), GRADIENTS[t]);
                adamW.step(RATES[t]);
            }
            assertEquals(2, adamW.stepCount());
            double[] expectDecayed = reference(true);
            double[] expectPlain = reference(false);
            float[] gotDecayed = decayed.getArray().toFloatArray();
            float[] gotPlain = plain.getArray().toFloatArray();
            for (int i = 0; i < START.length; i++) {
                assertEquals(expectDecayed[i], gotDecayed[i], 1e-6, "decayed[" + i + "]");
                assertEquals(expectPlain[i], gotPlain[i], 1e-6, "plain[" + i + "]");
            }
            assertTrue(Math.abs(gotDecayed[0] - gotPlain[0]) > 1e-3, "decay made a difference");
            try (NDArray g = decayed.getArray().getGradient()) {
                assertTrue(g.eq(0f).all().getBoolean(), "gradients are zeroed after the update");
            }
        }
    }

    /** AdamW in doubles, written from the paper / torch.optim.AdamW. */
    private static double[] reference(boolean decay) {
        double[] p = new double[START.length];
        double[] m = new double[START.length];
        double[] v = new double[START.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = START[i];
        }
        for (int t = 1; t <= GRADIENTS.length; t++) {
            double lr = RATES[t - 1];
            for (int i = 0; i < p.length; i++) {
                double g = GRADIENTS[t - 1][i];
                if (decay) {
                    p[i] -= lr * SETTINGS.weightDecay() * p[i];
                }
                m[i] = SETTINGS.beta1() * m[i] + (1 - SETTINGS.beta1()) * g;
                v[i] = SETTINGS.beta2() * v[i] + (1 - SETTINGS.beta2()) * g * g;
                double mHat = m[i] / (1 - Math.pow(SETTINGS.beta1(), t));
                double vHat = v[i] / (1 - Math.pow(SETTINGS.beta2(), t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + SETTINGS.epsilon());
            }
        }
        return p;
    }

    @Test
    void stateRoundTripsExactlyAndResumesIdentically() throws IOException {
        Parameter a1 = parameter("decayed");
        Parameter b1 = parameter("plain");
        Parameter a2 = parameter("decayed");
        Parameter b2 = parameter("plain");
        try (AdamW first = optimizer(a1, b1); AdamW second = optimizer(a2, b2)) {
            for (int t = 0; t < GRADIENTS.length; t++) {
                backward(List.of(a1, b1), GRADIENTS[t]);
                first.step(RATES[t]);
            }
            a1.getArray().copyTo(a2.getArray());
            b1.getArray().copyTo(b2.getArray());

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            first.writeState(new DataOutputStream(bytes));
            second.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(first.stepCount(), second.stepCount());
            assertEquals(first.state().keySet(), second.state().keySet());
            assertTrue(first.state().containsKey("plain.exp_avg_sq"));
            for (Map.Entry<String, NDArray> e : first.state().entrySet()) {
                assertTrue(e.getValue().contentEquals(second.state().get(e.getKey())), e.getKey());
            }

            backward(List.of(a1, b1), GRADIENTS[0]);
            backward(List.of(a2, b2), GRADIENTS[0]);
            first.step(0.01);
            second.step(0.01);
            assertTrue(a1.getArray().contentEquals(a2.getArray()));
            assertTrue(b1.getArray().contentEquals(b2.getArray()));
        }
    }

    @Test
    void mismatchedStateIsRejectedAndLeavesTheOptimizerAlone() throws IOException {
        Parameter a = parameter("decayed");
        Parameter b = parameter("plain");
        Parameter other = Parameter.builder().setName("plain").setType(Parameter.Type.WEIGHT)
                .optArray(manager.zeros(new Shape(2))).build();
        other.initialize(manager, DataType.FLOAT32);
        Map<String, Parameter> otherParams = new LinkedHashMap<>();
        otherParams.put("decayed", a);
        otherParams.put("plain", other);
        try (AdamW adamW = optimizer(a, b); AdamW wrongShape = new AdamW(SETTINGS, otherParams, p -> false, manager)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            wrongShape.writeState(new DataOutputStream(bytes));
            IOException e = assertThrows(IOException.class, () -> adamW.readState(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
            assertEquals(0, adamW.stepCount());
            assertTrue(adamW.state().get("plain.exp_avg").eq(0f).all().getBoolean());
        }
    }

    @Test
    void settingsNameTheFaultySetting() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> new AdamWSettings(1.0, 0.95, 1e-8, 0.1));
        assertTrue(e.getMessage().startsWith("millrace.optim.beta1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdamWSettings(0.9, 0.95, 0, 0.1));
        assertTrue(e.getMessage().startsWith("millrace.optim.epsilon"), e.getMessage());
    }
}
