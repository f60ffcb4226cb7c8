package org.millrace.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.TokenBatch;
import org.millrace.common.Topics;
import org.millrace.training.checkpoint.CheckpointCompatibility;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.curriculum.CurriculumPhase;
import org.millrace.training.curriculum.CurriculumSettings;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.feed.InMemoryBatches;
import org.millrace.training.model.ComputeSettings;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.optim.OptimizerSettings;

/** The loop on batches held in memory: resume after a crash, and refusal of another model's checkpoint. */
class TrainingLoopOfflineTest {
    private static final Topics TOPICS = new Topics("t", List.of("web", "code"));
    private static final GptConfig MODEL = new GptConfig(257, 32, 32, 2, 2, 0.0, true);
    private static final Map<String, List<TokenBatch>> BATCHES = batches();

    @TempDir
    Path checkpoints;

    private static Map<String, List<TokenBatch>> batches() {
        Random random = new Random(1);
        Map<String, List<TokenBatch>> out = new LinkedHashMap<>();
        for (String bucket : TOPICS.buckets()) {
            List<TokenBatch> list = new ArrayList<>();
            for (int b = 0; b < 20; b++) {
                int[] tokens = new int[4 * 17];
                List<TokenBatch.RowSpans> rows = new ArrayList<>();
                for (int r = 0; r < 4; r++) {
                    int length = r == 3 ? 5 + random.nextInt(10) : 17; // the last row padded
                    for (int c = 0; c < 17; c++) {
                        tokens[r * 17 + c] = c < length ? random.nextInt(256) : ByteTokenizer.END_OF_TEXT;
                    }
                    rows.add(new TokenBatch.RowSpans(length, List.of("d" + b), new int[] {0}, List.of("s")));
                }
                list.add(new TokenBatch(bucket + "-" + b, bucket, ByteTokenizer.NAME, 16, tokens, rows));
            }
            out.put(bucket, list);
        }
        return out;
    }

    private static TrainerSettings settings(String run, long maxSteps) {
        CurriculumSettings curriculum = new CurriculumSettings("test",
                List.of(new CurriculumPhase("mix", 0, Map.of("web", 0.7, "code", 0.3))), DryPolicy.WAIT, false);
        return new TrainerSettings(run, maxSteps, 5, 3, 1000, 2, Duration.ofMillis(100), 42, curriculum, null);
    }

    /** Runs a loop; the listener may end it like a crash by throwing. */
    private GptTrainer train(String run, long maxSteps, GptConfig model, String tokenizer, List<String> trained, long crashAfter) {
        GptTrainer trainer = GptTrainer.create(model, OptimizerSettings.constant(3e-3), new ComputeSettings("cpu", 1, 7));
        TrainerIo io = TrainerIo.offline(start -> new InMemoryBatches(BATCHES, start));
        TrainingLoop loop = new TrainingLoop(settings(run, maxSteps), trainer, tokenizer, TOPICS, io, checkpoints,
                new TrainingLoop.Listener() {
                    @Override
                    public void onStep(TrainingLoop.StepReport report) {
                        trained.add(report.batchId());
                        if (report.step() == crashAfter) {
                            throw new IllegalStateException("crash at step " + crashAfter);
                        }
                    }

                    @Override
                    public void onCheckpoint(Path checkpoint, CheckpointManifest manifest) {
                    }
                });
        loop.run();
        return trainer;
    }

    @Test
    void aRunResumedAfterACrashMatchesAnUninterruptedOne() {
        List<String> straight = new ArrayList<>();
        List<String> crashed = new ArrayList<>();
        List<String> resumed = new ArrayList<>();
        try (GptTrainer a = train("straight", 12, MODEL, ByteTokenizer.NAME, straight, -1)) {
            IllegalStateException crash = assertThrows(IllegalStateException.class,
                    () -> train("crashy", 12, MODEL, ByteTokenizer.NAME, crashed, 8).close());
            assertTrue(crash.getMessage().contains("crash at step 8"));
            try (GptTrainer b = train("crashy", 7, MODEL, ByteTokenizer.NAME, resumed, -1)) {
                List<String> lineage = new ArrayList<>(crashed.subList(0, 5)); // up to the step-5 checkpoint
                lineage.addAll(resumed);
                assertEquals(straight, lineage, "the same batches in the same order, each once");
                assertTrue(straight.stream().anyMatch(id -> id.startsWith("code")) && straight.stream().anyMatch(id -> id.startsWith("web")));
                for (Pair<String, Parameter> p : a.model().getParameters()) {
                    NDArray other = b.model().getParameters().get(p.getKey()).getArray();
                    assertTrue(p.getValue().getArray().contentEquals(other), p.getKey() + " differs after resuming");
                }
            }
        }
    }

    @Test
    void aCheckpointOfAnotherModelOrTokenizerIsRefusedSayingWhatDiffers() {
        train("other", 5, MODEL, ByteTokenizer.NAME, new ArrayList<>(), -1).close();
        GptConfig wider = new GptConfig(257, 32, 48, 2, 2, 0.0, true);
        String model = assertThrows(CheckpointCompatibility.CheckpointMismatchException.class,
                () -> train("other", 1, wider, ByteTokenizer.NAME, new ArrayList<>(), -1)).getMessage();
        assertTrue(model.contains("model dModel is 32 in the checkpoint, 48 here"), model);
        String tokenizer = assertThrows(CheckpointCompatibility.CheckpointMismatchException.class,
                () -> train("other", 1, MODEL, "bpe-8192", new ArrayList<>(), -1)).getMessage();
        assertTrue(tokenizer.contains("tokenizer is byte-v1 in the checkpoint, bpe-8192 here"), tokenizer);
    }
}
