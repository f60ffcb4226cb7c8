package org.millrace.training.diloco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.TokenBatch;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.CurriculumSettings;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.diloco.internal.OuterNesterov;
import org.millrace.training.feed.InMemoryBatches;

/** The pieces under the actors: half-float encodings, the outer step, the worker checkpoint. */
class DilocoPartsTest {

    @Test
    void halfFloatsRoundToNearestEven() {
        assertEquals(0x3C00, DeltaEncoding.toFp16(1.0f) & 0xFFFF);
        assertEquals(0x7BFF, DeltaEncoding.toFp16(65504f) & 0xFFFF);                  // largest half
        assertEquals(0x7C00, DeltaEncoding.toFp16(70000f) & 0xFFFF);                  // overflow: Inf
        assertEquals(0x0001, DeltaEncoding.toFp16(0x1p-24f) & 0xFFFF);                // smallest subnormal
        assertEquals(0x0000, DeltaEncoding.toFp16(0x1p-25f) & 0xFFFF);                // halfway: to even (0)
        assertEquals(0x3C00, DeltaEncoding.toFp16(1.0f + 0x1p-11f) & 0xFFFF);         // halfway: to even (1.0)
        assertEquals(0x3C01, DeltaEncoding.toFp16(1.0f + 0x1p-11f + 0x1p-20f) & 0xFFFF);
        assertEquals(0x3F80, DeltaEncoding.toBf16(1.0f) & 0xFFFF);
        assertEquals(0x3F80, DeltaEncoding.toBf16(Float.intBitsToFloat(0x3F808000)) & 0xFFFF); // halfway: to even
        assertEquals(0x3F82, DeltaEncoding.toBf16(Float.intBitsToFloat(0x3F818000)) & 0xFFFF); // halfway: to even (up)
        assertTrue(Float.isNaN(DeltaEncoding.fromBf16(DeltaEncoding.toBf16(Float.NaN))));
        float[] values = {3.1415927f, -2.5e-4f, 1e-6f, 0f, -0f, 42f};
        for (DeltaEncoding e : DeltaEncoding.values()) {
            float[] back = new float[values.length];
            assertEquals(values.length, e.decode(e.encode(values, 0, values.length), back, 0));
            double relative = e == DeltaEncoding.FP32 ? 0 : e == DeltaEncoding.BF16 ? 1.0 / 256 : 1.0 / 2048;
            for (int i = 0; i < values.length; i++) {
                double tolerance = Math.max(Math.abs(values[i]) * relative, e == DeltaEncoding.FP16 ? 0x1p-24 : 0);
                assertEquals(values[i], back[i], tolerance, e + " of " + values[i]);
            }
        }
    }

    @Test
    void outerStepIsSgdWithNesterovMomentumOnTheNegativeMeanDelta() {
        // torch.optim.SGD([θ], lr=0.7, momentum=0.9, nesterov=True) with θ.grad = −mean(Δ), written out.
        float[] theta = {1.0f, -0.5f};
        OuterNesterov outer = new OuterNesterov(2, 0.7, 0.9);
        float[][] deltaSums = {{0.2f, -0.4f}, {0.1f, 0.1f}, {-0.3f, 0.2f}};
        double[] expected = {1.0, -0.5};
        double[] buf = new double[2];
        for (int step = 0; step < deltaSums.length; step++) {
            outer.step(theta, deltaSums[step], 2);
            for (int i = 0; i < 2; i++) {
                double g = -deltaSums[step][i] / 2;
                buf[i] = step == 0 ? g : 0.9 * buf[i] + g;
                expected[i] -= 0.7 * (g + 0.9 * buf[i]);
                assertEquals(expected[i], theta[i], 1e-6);
            }
        }
        // The same step from the workers' parameters instead of their deltas.
        float[] a = {1.0f, -0.5f};
        float[] b = {1.0f, -0.5f};
        OuterNesterov fromDeltas = new OuterNesterov(2, 0.7, 0.9);
        OuterNesterov fromParameters = new OuterNesterov(2, 0.7, 0.9);
        for (float[] sum : deltaSums) {
            float[] workerSum = {2 * b[0] + sum[0], 2 * b[1] + sum[1]};
            fromDeltas.step(a, sum, 2);
            fromParameters.stepFromParameters(b, workerSum, 2);
            assertArrayEquals(a, b, 1e-6f);
        }
    }

    @Test
    void aRestartedWorkerContinuesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        List<TokenBatch> batches = DilocoFixtures.batches(5, 6);
        float[] theta2;
        InnerTrainer.Round third;
        try (InnerTrainer continuous = inner(batches, null)) {
            continuous.train(2);
            theta2 = continuous.parameters();
            third = continuous.train(1);
        }
        try (InnerTrainer first = inner(batches, dir)) {
            first.train(2);
            first.checkpoint(1);
        }
        try (InnerTrainer restarted = inner(batches, dir)) {
            restarted.load(theta2); // the coordinator's θ
            InnerTrainer.Round resumed = restarted.train(1);
            assertEquals(3, restarted.steps());
            // Same batch (offsets), same AdamW moments and step count: the same update, bit for bit.
            assertArrayEquals(third.after(), resumed.after());
        }
    }

    private static InnerTrainer inner(List<TokenBatch> batches, Path checkpoints) {
        CurriculumScheduler curriculum = new CurriculumScheduler(
                CurriculumSettings.uniform(List.of(DilocoFixtures.BUCKET), DryPolicy.REPEAT), List.of(DilocoFixtures.BUCKET), 42);
        return new InnerTrainer("w", DilocoFixtures.trainer(7),
                start -> new InMemoryBatches(Map.of(DilocoFixtures.BUCKET, batches), start), curriculum, checkpoints);
    }
}
