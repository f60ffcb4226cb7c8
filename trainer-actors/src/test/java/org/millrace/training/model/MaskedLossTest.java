package org.millrace.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millrace.training.optim.OptimizerSettings;

/** Padded positions of packed rows (after a row's length) are neither in the loss nor in its gradient. */
class MaskedLossTest {
    private static final int VOCAB = 64;
    private static final GptConfig CONFIG = new GptConfig(VOCAB, 32, 32, 2, 4, 0.0, true);
    private static final int[] LENGTHS = {17, 9, 2};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** (3, 17) rows whose real tokens are the same for every {@code padSeed}, and whose padding differs. */
    private NDArray rows(long padSeed) {
        Random real = new Random(5);
        Random pad = new Random(padSeed);
        int[] ids = new int[LENGTHS.length * 17];
        for (int r = 0; r < LENGTHS.length; r++) {
            for (int c = 0; c < 17; c++) {
                int realId = real.nextInt(VOCAB);
                ids[r * 17 + c] = c < LENGTHS[r] ? realId : pad.nextInt(VOCAB);
            }
        }
        return manager.create(ids, new Shape(LENGTHS.length, 17));
    }

    @Test
    void lossIsTheMeanOverRealTargetsOnly() {
        Gpt gpt = new Gpt(CONFIG);
        gpt.initialize(manager, 11);
        NDArray window = rows(1);
        float masked = gpt.loss(window, manager.create(LENGTHS), false).getFloat();
        float[] logProbs = gpt.tokenLogProbs(window).toFloatArray(); // (3, 16) flattened
        double sum = 0;
        int n = 0;
        for (int r = 0; r < LENGTHS.length; r++) {
            for (int t = 0; t < LENGTHS[r] - 1; t++) {
                sum += logProbs[r * 16 + t];
                n++;
            }
        }
        assertEquals(16 + 8 + 1, n);
        assertEquals(-sum / n, masked, 1e-5);
        assertNotEquals(masked, gpt.loss(window, false).getFloat(), 1e-4, "the unmasked loss averages the padding in");
    }

    @Test
    void paddingChangesNeitherLossNorUpdate() {
        try (GptTrainer a = GptTrainer.create(CONFIG, OptimizerSettings.constant(1e-2), ComputeSettings.cpu(3));
             GptTrainer b = GptTrainer.create(CONFIG, OptimizerSettings.constant(1e-2), ComputeSettings.cpu(3))) {
            StepResult ra = a.step(rows(1), LENGTHS);
            StepResult rb = b.step(rows(2), LENGTHS);
            assertEquals(25, ra.tokens(), "real predictions: 16 + 8 + 1");
            assertEquals(ra.loss(), rb.loss(), 1e-6);
            assertEquals(ra.gradNorm(), rb.gradNorm(), 1e-6 * ra.gradNorm());
            for (Pair<String, Parameter> p : a.model().getParameters()) {
                NDArray other = b.model().getParameters().get(p.getKey()).getArray();
                assertTrue(p.getValue().getArray().allClose(other, 1e-6, 1e-7, false), p.getKey());
            }
        }
    }

    @Test
    void microBatchesWeighRealTokens() {
        OptimizerSettings whole = OptimizerSettings.constant(1e-3);
        OptimizerSettings split = new OptimizerSettings(whole.schedule(), whole.adamW(), whole.gradClip(), 1);
        try (GptTrainer a = GptTrainer.create(CONFIG, whole, ComputeSettings.cpu(4));
             GptTrainer b = GptTrainer.create(CONFIG, split, ComputeSettings.cpu(4))) {
            StepResult ra = a.step(rows(1), LENGTHS);
            StepResult rb = b.step(rows(1), LENGTHS);
            assertEquals(ra.tokens(), rb.tokens());
            assertEquals(ra.loss(), rb.loss(), 1e-5);
            assertEquals(ra.gradNorm(), rb.gradNorm(), 1e-4 * ra.gradNorm());
        }
    }

    @Test
    void aBatchWithoutRealTargetsIsRefused() {
        try (GptTrainer t = GptTrainer.create(CONFIG, OptimizerSettings.constant(1e-3), ComputeSettings.cpu(1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.step(rows(1), new int[] {1, 1, 1}));
            assertTrue(e.getMessage().contains("no row"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.step(rows(1), new int[] {18, 2, 2}));
        }
    }
}
