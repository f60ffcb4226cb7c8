package org.millrace.serving;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.millrace.common.ByteTokenizer;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptParameters;

/** Checkpoints of freshly initialised tiny models, written the way the training loop writes them. */
final class TestCheckpoints {
    /** Byte vocabulary, 128 positions, width 32, 2 layers, 2 heads: about 40k parameters. */
    static final GptConfig TINY = new GptConfig(257, 128, 32, 2, 2, 0.0, true);

    private TestCheckpoints() {
    }

    /** Writes {@code checkpointsDir/run/step-N} with a model initialised from {@code seed}. */
    static Path write(Path checkpointsDir, String run, long step, GptConfig config, long seed) {
        CheckpointManifest manifest = CheckpointManifest.modelOnly(run, step, step * 1000,
                ByteTokenizer.NAME, TrainingLoop.modelDescription(config), seed, 5.5, System.currentTimeMillis());
        return new CheckpointStore(checkpointsDir, run, 10).write(manifest, dir -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Gpt gpt = new Gpt(config);
                gpt.initialize(manager, seed);
                GptParameters.save(gpt, TrainingLoop.parametersFile(dir));
            }
        });
    }
}
