package org.millrace.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.TokenBatch;
import org.millrace.common.Topics;
import org.millrace.training.checkpoint.CheckpointFault;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.curriculum.CurriculumPhase;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.CurriculumSettings;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.feed.InMemoryBatches;
import org.millrace.training.model.ComputeSettings;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.optim.OptimizerSettings;

/**
 * A full disk in the middle of a checkpoint write (an injected "No space left on device" after a number of
 * bytes): the error names the file, the bytes and the directory, the partial write is removed, and the previous
 * checkpoint stays intact and is what a resumed trainer loads. Leftovers of a write a crash interrupted are
 * removed on resume and never loaded.
 */
class CheckpointFaultTest {
    private static final Topics TOPICS = new Topics("t", List.of("web"));
    private static final GptConfig MODEL = new GptConfig(257, 32, 32, 2, 2, 0.0, true);
    private static final String RUN = "disk";

    @TempDir
    Path checkpoints;

    private static Map<String, List<TokenBatch>> batches() {
        Random random = new Random(5);
        List<TokenBatch> list = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            int[] tokens = new int[4 * 17];
            List<TokenBatch.RowSpans> rows = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 17; c++) {
                    tokens[r * 17 + c] = random.nextInt(256);
                }
                rows.add(new TokenBatch.RowSpans(17, List.of("d" + b), new int[] {0}, List.of("s")));
            }
            list.add(new TokenBatch("web-" + b, "web", ByteTokenizer.NAME, 16, tokens, rows));
        }
        Map<String, List<TokenBatch>> out = new LinkedHashMap<>();
        out.put("web", list);
        return out;
    }

    private static CurriculumSettings curriculum() {
        return new CurriculumSettings("test", List.of(new CurriculumPhase("web", 0, Map.of("web", 1.0))), DryPolicy.WAIT, false);
    }

    private static GptTrainer newTrainer() {
        return GptTrainer.create(MODEL, OptimizerSettings.constant(3e-3), new ComputeSettings("cpu", 1, 7));
    }

    private static Map<String, NDArray> copyOfParameters(GptTrainer trainer, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : trainer.model().getParameters()) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager);
            out.put(p.getKey(), copy);
        }
        return out;
    }

    @Test
    void aFullDiskFailsTheWriteSayingWhereAndLeavesThePreviousCheckpointLoadable() throws Exception {
        TrainerSettings settings = new TrainerSettings(RUN, 5, 5, 3, 1000, 2, Duration.ofMillis(100), 42, curriculum(), null);
        Map<String, List<TokenBatch>> batches = batches();
        try (GptTrainer trainer = newTrainer(); NDManager keep = NDManager.newBaseManager()) {
            new TrainingLoop(settings, trainer, ByteTokenizer.NAME, TOPICS,
                    TrainerIo.offline(start -> new InMemoryBatches(batches, start)), checkpoints, new TrainingLoop.Listener() {
                        @Override
                        public void onStep(TrainingLoop.StepReport report) {
                        }

                        @Override
                        public void onCheckpoint(Path checkpoint, CheckpointManifest manifest) {
                        }
                    }).run();
            Map<String, NDArray> atStep5 = copyOfParameters(trainer, keep);
            Path step5 = checkpoints.resolve(RUN).resolve("step-00000005");
            assertTrue(Files.isRegularFile(step5.resolve(CheckpointStore.MANIFEST)), "the step-5 checkpoint is written");
            long parametersBytes = Files.size(LoopCheckpoints.parametersFile(step5));

            // one more step moves the parameters away from the step-5 checkpoint
            try (NDManager m = trainer.manager().newSubManager()) {
                NDArray tokens = m.create(new Random(9).ints(4 * 17, 0, 256).toArray(), new Shape(4, 17)); // (B, T+1)
                trainer.step(tokens);
            }

            CheckpointStore full = new CheckpointStore(checkpoints, RUN, 3,
                    new CheckpointFault(CheckpointFault.Kind.DISK_FULL, parametersBytes + 1000, 6));
            CheckpointManifest manifest = CheckpointManifest.modelOnly(RUN, 6, 0, ByteTokenizer.NAME,
                    TrainingLoop.modelDescription(MODEL), 42, 1.0, System.currentTimeMillis());
            UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> LoopCheckpoints.write(full, trainer, manifest));
            String message = failure.getMessage();
            System.out.println("disk-full message: " + message);
            assertTrue(message.contains(CheckpointFault.NO_SPACE), message);
            assertTrue(message.contains("writing checkpoint step 6"), message);
            assertTrue(message.contains("while writing optimizer.bin after 1,000 of its bytes"), message);
            assertTrue(message.contains(String.format("%,d bytes of the checkpoint written to %s", parametersBytes + 1000,
                    checkpoints.resolve(RUN))), message);
            assertTrue(message.contains("bytes usable on its file system"), message);
            assertTrue(message.contains("the previous checkpoints are intact (latest: step-00000005)"), message);
            try (Stream<Path> left = Files.list(checkpoints.resolve(RUN))) {
                List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
                assertEquals(List.of(LineageLog.FILE, "step-00000005"), names, "the partial write is removed");
            }

            // a fresh trainer resumes from step 5, with exactly the parameters written then
            try (GptTrainer resumed = newTrainer()) {
                LoopCheckpoints.Resumed r = LoopCheckpoints.resume(new CheckpointStore(checkpoints, RUN, 3), resumed, ByteTokenizer.NAME,
                        TrainingLoop.modelDescription(MODEL), new CurriculumScheduler(curriculum(), TOPICS.buckets(), 42));
                assertNotNull(r);
                assertEquals(5, r.step());
                for (Pair<String, Parameter> p : resumed.model().getParameters()) {
                    assertTrue(atStep5.get(p.getKey()).contentEquals(p.getValue().getArray()), p.getKey() + " differs from step 5");
                }
            }
            // the fault fired once: the next write succeeds, as after space was freed
            assertTrue(Files.isDirectory(LoopCheckpoints.write(full, trainer, manifest)));
        }
    }

    @Test
    void leftoversOfAnInterruptedWriteAreRemovedOnResumeAndNeverLoaded() throws Exception {
        TrainerSettings settings = new TrainerSettings(RUN, 5, 5, 3, 1000, 2, Duration.ofMillis(100), 42, curriculum(), null);
        Map<String, List<TokenBatch>> batches = batches();
        try (GptTrainer trainer = newTrainer()) {
            new TrainingLoop(settings, trainer, ByteTokenizer.NAME, TOPICS,
                    TrainerIo.offline(start -> new InMemoryBatches(batches, start)), checkpoints, new TrainingLoop.Listener() {
                        @Override
                        public void onStep(TrainingLoop.StepReport report) {
                        }

                        @Override
                        public void onCheckpoint(Path checkpoint, CheckpointManifest manifest) {
                        }
                    }).run();
        }
        Path run = checkpoints.resolve(RUN);
        Path step5 = run.resolve("step-00000005");
        // what a crash mid-write leaves: a temporary directory with a cut-off parameters file; and a checkpoint
        // directory copied by hand without its manifest
        Path tmp = Files.createDirectories(run.resolve(".tmp-step-00000010-123"));
        byte[] params = Files.readAllBytes(LoopCheckpoints.parametersFile(step5));
        Files.write(LoopCheckpoints.parametersFile(tmp), java.util.Arrays.copyOf(params, params.length / 2));
        Path noManifest = Files.createDirectories(run.resolve("step-00000010"));
        Files.write(LoopCheckpoints.parametersFile(noManifest), params);

        CheckpointStore store = new CheckpointStore(checkpoints, RUN, 3);
        assertEquals(List.of(step5), store.list(), "neither counts as a checkpoint");
        try (GptTrainer resumed = newTrainer()) {
            LoopCheckpoints.Resumed r = LoopCheckpoints.resume(store, resumed, ByteTokenizer.NAME,
                    TrainingLoop.modelDescription(MODEL), new CurriculumScheduler(curriculum(), TOPICS.buckets(), 42));
            assertEquals(step5, r.checkpoint());
        }
        assertFalse(Files.exists(tmp), "the temporary directory is removed");
        assertFalse(Files.exists(noManifest), "the directory without a manifest is removed");
        List<LineageLog.Entry> lineage = LineageLog.lineage(run.resolve(LineageLog.FILE));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), lineage.stream().map(LineageLog.Entry::step).toList());
    }
}
