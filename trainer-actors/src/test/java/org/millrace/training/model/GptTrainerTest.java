package org.millrace.training.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.training.optim.AdamWSettings;
import org.millrace.training.optim.LearningRateSchedule;
import org.millrace.training.optim.OptimizerSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptTrainerTest {

    private static final int VOCAB = 64;
    private static final GptConfig CONFIG = new GptConfig(VOCAB, 64, 48, 2, 4, 0.0, true);

    private NDManager data;

    @BeforeEach
    void openManager() {
        data = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        data.close();
    }

    private static GptTrainer trainer(long seed, double learningRate, int microBatchSize) {
        OptimizerSettings optim = new OptimizerSettings(LearningRateSchedule.constant(learningRate),
                AdamWSettings.gpt(), 1.0, microBatchSize);
        return GptTrainer.create(CONFIG, optim, ComputeSettings.cpu(seed));
    }

    @Test
    void lossFallsWellBelowItsStartOnARepetitiveSequence() {
        try (GptTrainer trainer = trainer(1, 3e-3, 0)) {
            List<Double> losses = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                NDArray batch = TokenData.repetitive(data, 100 + i, 8, 33, VOCAB, 12);
                StepResult r = trainer.step(batch);
                batch.close();
                assertTrue(r.updateApplied());
                assertEquals(8 * 32, r.tokens());
                assertEquals(i, r.step());
                losses.add(r.loss());
            }
            double first = losses.get(0);
            double last = losses.get(losses.size() - 1);
            assertEquals(Math.log(VOCAB), first, 0.15);
            System.out.println("loss " + first + " -> " + last);
            assertTrue(last < 0.3 * first, "loss went from " + first + " to " + last + ": " + losses);
            assertEquals(50, trainer.stepCount());
        }
    }

    @Test
    void sameSeedGivesIdenticalLossesAndParameters() {
        try (GptTrainer a = trainer(7, 1e-3, 0); GptTrainer b = trainer(7, 1e-3, 0)) {
            for (int i = 0; i < 4; i++) {
                NDArray batch = TokenData.random(data, i, 4, 17, VOCAB);
                StepResult ra = a.step(batch);
                StepResult rb = b.step(batch);
                assertEquals(ra.loss(), rb.loss(), 0.0, "step " + i);
                assertEquals(ra.gradNorm(), rb.gradNorm(), 0.0, "step " + i);
            }
            for (Pair<String, Parameter> p : a.model().getParameters()) {
                NDArray other = b.model().getParameters().get(p.getKey()).getArray();
                assertTrue(p.getValue().getArray().contentEquals(other), p.getKey());
            }
        }
    }

    @Test
    void microBatchesAccumulateToTheFullBatchGradient() {
        try (GptTrainer whole = trainer(3, 1e-3, 0);
                GptTrainer halves = trainer(3, 1e-3, 4);
                GptTrainer windows = trainer(3, 1e-3, 0)) {
            NDArray batch = TokenData.random(data, 5, 8, 17, VOCAB);
            StepResult w = whole.step(batch);
            StepResult h = halves.step(batch);
            StepResult l = windows.step(List.of(batch.get(":4"), batch.get("4:")));
            for (StepResult r : List.of(h, l)) {
                assertEquals(w.loss(), r.loss(), 1e-5);
                assertEquals(w.gradNorm(), r.gradNorm(), 1e-4 * w.gradNorm());
                assertEquals(w.tokens(), r.tokens());
            }
            for (GptTrainer other : List.of(halves, windows)) {
                for (Pair<String, Parameter> p : whole.model().getParameters()) {
                    NDArray o = other.model().getParameters().get(p.getKey()).getArray();
                    assertTrue(p.getValue().getArray().allClose(o, 1e-5, 1e-6, false), p.getKey());
                }
            }
        }
    }

    @Test
    void stepsLeaveNoArraysBehind() {
        try (GptTrainer trainer = trainer(4, 1e-3, 3)) {
            NDArray batch = TokenData.random(data, 6, 8, 17, VOCAB);
            trainer.step(batch);
            int model = trainer.manager().getManagedArrays().size();
            int caller = data.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                trainer.step(batch);
                trainer.step(List.of(batch));
            }
            assertEquals(model, trainer.manager().getManagedArrays().size());
            assertEquals(caller, data.getManagedArrays().size());
            assertTrue(batch.getShape().size() == 8 * 17, "the caller's batch is still usable");
        }
    }

    @Test
    void savedParametersRestoreIdenticalLogits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("step-3.params");
        NDArray probe = TokenData.random(data, 9, 2, 16, VOCAB);
        try (GptTrainer trained = trainer(5, 1e-3, 0); GptTrainer fresh = trainer(6, 1e-3, 0)) {
            for (int i = 0; i < 3; i++) {
                trained.step(TokenData.random(data, 20 + i, 4, 17, VOCAB));
            }
            trained.saveParameters(file);
            NDArray expected = trained.model().logits(probe, null);
            assertFalse(expected.contentEquals(fresh.model().logits(probe, null)));
            fresh.loadParameters(file);
            assertTrue(expected.contentEquals(fresh.model().logits(probe, null)));
            fresh.step(TokenData.random(data, 30, 4, 17, VOCAB)); // loaded parameters train
        }
    }

    @Test
    void stepsRunOnWhicheverThreadCallsThem() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (GptTrainer trainer = trainer(10, 1e-3, 0)) {
            NDArray batch = TokenData.random(data, 2, 4, 17, VOCAB);
            for (int i = 0; i < 4; i++) {
                // fresh threads start with PyTorch's grad mode on; in-place updates must still work
                Future<StepResult> r = pool.submit(() -> trainer.step(batch));
                assertTrue(r.get(60, TimeUnit.SECONDS).updateApplied());
                Future<NDArray> logits = pool.submit(() -> trainer.model().logits(batch, null));
                assertEquals(new Shape(4, 17, VOCAB), logits.get(60, TimeUnit.SECONDS).getShape());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedStepLeavesTheTrainerAsBefore() {
        try (GptTrainer failing = trainer(11, 1e-3, 2); GptTrainer twin = trainer(11, 1e-3, 2)) {
            NDArray good = TokenData.random(data, 3, 4, 17, VOCAB);
            NDArray bad = good.duplicate();
            bad.set(new NDIndex("3, 5"), VOCAB + 7); // an id past the vocabulary, in the second micro-batch
            assertThrows(RuntimeException.class, () -> failing.step(bad));
            assertEquals(0, failing.stepCount());
            StepResult after = failing.step(good);
            StepResult reference = twin.step(good);
            assertEquals(reference.loss(), after.loss(), 0.0);
            assertEquals(reference.gradNorm(), after.gradNorm(), 0.0, "no gradient left over from the failed step");
        }
    }

    @Test
    void trainerReadsTheReferenceConfiguration() {
        Config config = ConfigFactory.parseString(
                "millrace.model { preset = tiny, device = cpu, n-layers = 1 }, millrace.optim.warmup-steps = 4")
                .withFallback(ConfigFactory.defaultReference()).resolve();
        try (GptTrainer trainer = GptTrainer.fromConfig(config, 50)) {
            assertEquals(new GptConfig(50, 128, 64, 1, 2, 0.0, true), trainer.model().config());
            assertEquals(Device.cpu(), trainer.device());
            StepResult first = trainer.step(TokenData.random(data, 4, 2, 9, 50));
            assertEquals(6e-4 / 4, first.learningRate(), 1e-12);
        }
    }

    @Test
    void badWindowsAreRejected() {
        try (GptTrainer trainer = trainer(8, 1e-3, 0)) {
            NDArray flat = TokenData.random(data, 1, 1, 17, VOCAB).reshape(17);
            assertThrows(IllegalArgumentException.class, () -> trainer.step(flat));
            NDArray tooLong = TokenData.random(data, 1, 2, CONFIG.contextLength() + 2, VOCAB);
            Exception e = assertThrows(IllegalArgumentException.class, () -> trainer.step(tooLong));
            assertTrue(e.getMessage().contains("millrace.model.context-length"), e.getMessage());
            assertEquals(0, trainer.stepCount());
        }
    }
}
