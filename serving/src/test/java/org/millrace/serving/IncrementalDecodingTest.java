package org.millrace.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.serving.internal.Sampler;
import org.millrace.serving.internal.SlotDecoder;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.KvCache;

/** Decoding with the KV cache computes what recomputing the whole sequence computes, and the sampler obeys its knobs. */
class IncrementalDecodingTest {

    @Test
    void cachedStepsGiveTheLogitsOfAFullForwardPass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(TestCheckpoints.TINY);
            gpt.initialize(manager, 11);
            int[] prompt = {72, 101, 108, 108, 111};
            int steps = 40;
            int v = TestCheckpoints.TINY.vocabSize();
            float[] cached = new float[steps * v];
            int[] sequence = Arrays.copyOf(prompt, prompt.length + steps);
            try (KvCache cache = gpt.newKvCache(manager)) {
                int[] feed = prompt;
                for (int i = 0; i < steps; i++) {
                    NDArray logits = gpt.logits(manager.create(feed, new Shape(1, feed.length)), cache); // (1, T, V)
                    float[] last = logits.get(":, -1, :").toFloatArray();                               // (1, V)
                    System.arraycopy(last, 0, cached, i * v, v);
                    sequence[prompt.length + i] = Sampler.pick(last, 0, v, Sampling.GREEDY, null);
                    feed = new int[] {sequence[prompt.length + i]};
                }
                assertEquals(prompt.length + steps - 1, cache.length());
            }
            int t = sequence.length - 1;
            NDArray full = gpt.logits(manager.create(Arrays.copyOf(sequence, t), new Shape(1, t)), null); // (1, T, V)
            float[] expected = full.get(":, " + (prompt.length - 1) + ":, :").toFloatArray();             // (1, steps, V)
            float worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - cached[i]));
            }
            assertTrue(worst < 1e-4, "largest difference " + worst);
            assertArrayEquals(sequence, GreedyDecoding.withCache(gpt, manager, prompt, steps));
        }
    }

    @Test
    void slotsAtDifferentPositionsSteppedTogetherGiveEachSequencesOwnLogits(@TempDir Path dir) {
        Path checkpoint = TestCheckpoints.write(dir, "slots", 1, TestCheckpoints.TINY, 13);
        ServedModel model = ServedModel.open(checkpoint, TokenizerLoader.builtIn(), ai.djl.Device.cpu());
        int v = TestCheckpoints.TINY.vocabSize();
        int[][] sequences = {{5, 6, 7}, {100, 101, 102, 103, 104, 105, 106, 107}, {42}};
        List<List<Integer>> grown = new ArrayList<>();
        try (SlotDecoder slots = new SlotDecoder(model, 4); NDManager m = NDManager.newBaseManager()) {
            int[] next = new int[3];
            for (int r = 0; r < 3; r++) {
                float[] last = slots.prefill(r, sequences[r]);
                assertClose(fullLogits(model, m, sequences[r]), last, 0);
                next[r] = Sampler.pick(last, 0, v, Sampling.GREEDY, null);
                grown.add(new ArrayList<>(Arrays.stream(sequences[r]).boxed().toList()));
            }
            slots.copy(1, 3, sequences[1].length); // a fourth sequence continuing the second one
            grown.add(new ArrayList<>(grown.get(1)));
            for (int step = 0; step < 12; step++) {
                int[] tokens = {next[0], next[1], next[2], (step * 31 + 7) % 256};
                int[] positions = new int[4];
                for (int r = 0; r < 4; r++) {
                    positions[r] = grown.get(r).size();
                    grown.get(r).add(tokens[r]);
                }
                float[] logits = slots.step(0, tokens, positions);                          // (4, V)
                for (int r = 0; r < 4; r++) {
                    int[] seq = grown.get(r).stream().mapToInt(Integer::intValue).toArray();
                    assertClose(fullLogits(model, m, seq), logits, r * v);
                    if (r < 3) {
                        next[r] = Sampler.pick(logits, r * v, v, Sampling.GREEDY, null);
                    }
                }
            }
            int[] prompt = {9, 8, 7};
            assertArrayEquals(GreedyDecoding.recomputing(model.gpt(), m, prompt, 30), GreedyDecoding.withSlots(model, prompt, 30));
        } finally {
            model.retire();
        }
    }

    private static float[] fullLogits(ServedModel model, NDManager m, int[] sequence) {
        NDArray logits = model.gpt().logits(m.create(sequence, new Shape(1, sequence.length)), null); // (1, T, V)
        return logits.get(":, -1, :").toFloatArray();                                                // (V)
    }

    private static void assertClose(float[] expected, float[] actual, int offset) {
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[offset + i]));
        }
        assertTrue(worst < 1e-4, "largest difference " + worst);
    }

    @Test
    void samplerKeepsToTopKTopPAndItsSeed() {
        float[] logits = {0f, 3f, 1f, 2.9f, -5f, 2.95f};
        assertEquals(1, Sampler.pick(logits, 0, 6, Sampling.GREEDY, null));
        assertEquals(2, Sampler.pick(new float[] {0f, 1f, 2f, 9f}, 0, 3, Sampling.GREEDY, null),
                "ids at or past the limit (a padded vocabulary) are never picked");
        assertEquals(1, Sampler.pick(new float[] {9f, 0f, 0f, 0f, 0f, 2f, 1f}, 4, 3, Sampling.GREEDY, null),
                "a row is read from its offset, ids counted from there");
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            int k2 = Sampler.pick(logits, 0, 6, new Sampling(1.0, 1.0, 2, null), random);
            assertTrue(k2 == 1 || k2 == 5, "top_k 2 keeps the two most likely: " + k2);
            int p = Sampler.pick(logits, 0, 6, new Sampling(1.0, 0.3, 0, null), random);
            assertEquals(1, p, "top_p 0.3 keeps only the most likely here");
        }
        int[] counts = new int[6];
        for (int i = 0; i < 3000; i++) {
            counts[Sampler.pick(logits, 0, 6, new Sampling(1.0, 1.0, 0, null), random)]++;
        }
        assertTrue(counts[1] > counts[2] && counts[2] > counts[4], Arrays.toString(counts));
        int[] a = new int[20];
        int[] b = new int[20];
        Random ra = new Random(9);
        Random rb = new Random(9);
        for (int i = 0; i < 20; i++) {
            a[i] = Sampler.pick(logits, 0, 6, new Sampling(1.5, 0.95, 4, 9L), ra);
            b[i] = Sampler.pick(logits, 0, 6, new Sampling(1.5, 0.95, 4, 9L), rb);
        }
        assertArrayEquals(a, b);
    }
}
