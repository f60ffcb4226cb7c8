package org.millrace.training;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.training.curriculum.CurriculumSettings;

/**
 * The {@code millrace.trainer} and {@code millrace.curriculum} blocks, read and checked once.
 *
 * @param run              run id
 * @param maxSteps         stop after this many steps in this process (0: never)
 * @param checkpointEvery  write a checkpoint every this many steps
 * @param keepCheckpoints  checkpoints kept per run
 * @param eventEvery       publish a progress event every this many steps
 * @param prefetch         decoded batches buffered ahead of the trainer, per bucket
 * @param dryWait          how long a bucket read to its end sees nothing new before it counts as dry
 * @param seed             seed of the bucket draws and of dropout masks
 * @param curriculum       phases, dry policy, live updates
 * @param benchResults     result file of {@code millrace bench} whose {@code djl.matmul.gflops} MFU is measured against
 */
public record TrainerSettings(String run, long maxSteps, int checkpointEvery, int keepCheckpoints, int eventEvery,
                              int prefetch, Duration dryWait, long seed, CurriculumSettings curriculum, Path benchResults) {

    public static TrainerSettings fromConfig(Config c) {
        String p = "millrace.trainer.";
        long maxSteps = c.getLong(p + "max-steps");
        if (maxSteps < 0) {
            throw Settings.invalid(c, p + "max-steps", maxSteps, "must be >= 0 (0 trains until stopped)");
        }
        Path dataDir = Path.of(c.getString("millrace.data-dir"));
        return new TrainerSettings(c.getString("millrace.run-id"), maxSteps,
                Settings.positiveInt(c, p + "checkpoint-every"), Settings.positiveInt(c, p + "keep-checkpoints"),
                Settings.positiveInt(c, p + "event-every"), Settings.positiveInt(c, p + "prefetch"),
                Settings.positiveDuration(c, p + "dry-wait"), c.getLong(p + "seed"),
                CurriculumSettings.fromConfig(c, Topics.fromConfig(c).buckets()),
                dataDir.resolve(c.getString(p + "bench-results")));
    }

    public TrainerSettings withMaxSteps(long steps) {
        return new TrainerSettings(run, steps, checkpointEvery, keepCheckpoints, eventEvery, prefetch, dryWait, seed,
                curriculum, benchResults);
    }

    public TrainerSettings withRun(String runId) {
        return new TrainerSettings(runId, maxSteps, checkpointEvery, keepCheckpoints, eventEvery, prefetch, dryWait, seed,
                curriculum, benchResults);
    }
}
