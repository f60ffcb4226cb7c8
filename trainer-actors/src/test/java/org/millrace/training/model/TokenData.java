package org.millrace.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/** Deterministic token arrays for tests. */
final class TokenData {

    private TokenData() {}

    /** (rows, cols) int32 ids uniform in [0, vocab), from a seeded Java RNG. */
    static NDArray random(NDManager manager, long seed, int rows, int cols, int vocab) {
        Random random = new Random(seed);
        int[] ids = new int[rows * cols];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(vocab);
        }
        return manager.create(ids, new Shape(rows, cols));
    }

    /**
     * (rows, cols) int32 windows cut at offsets drawn with {@code seed} from a sequence that
     * repeats one fixed random pattern of {@code period} tokens, the same for every seed.
     */
    static NDArray repetitive(NDManager manager, long seed, int rows, int cols, int vocab, int period) {
        Random patternRandom = new Random(period);
        int[] pattern = new int[period];
        for (int i = 0; i < period; i++) {
            pattern[i] = patternRandom.nextInt(vocab);
        }
        Random random = new Random(seed);
        int[] ids = new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            int offset = random.nextInt(period);
            for (int c = 0; c < cols; c++) {
                ids[r * cols + c] = pattern[(offset + c) % period];
            }
        }
        return manager.create(ids, new Shape(rows, cols));
    }
}
