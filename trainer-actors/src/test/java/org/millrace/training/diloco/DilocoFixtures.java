package org.millrace.training.diloco;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.TokenBatch;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.CurriculumSettings;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.feed.InMemoryBatches;
import org.millrace.training.model.ComputeSettings;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.optim.OptimizerSettings;

/** A small model and batches of text-like bytes for the DiLoCo tests. */
final class DilocoFixtures {
    static final String BUCKET = "web";
    static final GptConfig MODEL = new GptConfig(ByteTokenizer.END_OF_TEXT + 1, 32, 32, 2, 2, 0.0, true);
    static final int ROWS = 4;

    private DilocoFixtures() {}

    /** {@code count} full batches of (ROWS, 33) tokens drawn from a repeating pattern, from {@code seed}. */
    static List<TokenBatch> batches(long seed, int count) {
        Random random = new Random(seed);
        int len = MODEL.contextLength() + 1;
        byte[] pattern = "the quick brown fox jumps over the lazy dog; ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<TokenBatch> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            int[] tokens = new int[ROWS * len];
            List<TokenBatch.RowSpans> rows = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                int start = random.nextInt(pattern.length);
                for (int c = 0; c < len; c++) {
                    tokens[r * len + c] = pattern[(start + c) % pattern.length] & 0xFF;
                }
                rows.add(new TokenBatch.RowSpans(len, List.of("d" + seed + "-" + b + "-" + r), new int[] {0}, List.of("s")));
            }
            out.add(new TokenBatch("b" + seed + "-" + b, BUCKET, ByteTokenizer.NAME, MODEL.contextLength(), tokens, rows));
        }
        return out;
    }

    static GptTrainer trainer(long seed) {
        return GptTrainer.create(MODEL, OptimizerSettings.constant(3e-3), new ComputeSettings("cpu", 1, seed));
    }

    /** A worker's inner trainer on its own batches, model initialised from {@code seed}. */
    static InnerTrainer inner(String workerId, long seed, List<TokenBatch> batches) {
        CurriculumScheduler curriculum = new CurriculumScheduler(CurriculumSettings.uniform(List.of(BUCKET), DryPolicy.REPEAT),
                List.of(BUCKET), 42);
        return new InnerTrainer(workerId, trainer(seed), start -> new InMemoryBatches(Map.of(BUCKET, batches), start),
                curriculum, null);
    }
}
