package org.millrace.training;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import org.millrace.common.Settings;
import org.millrace.training.feed.BatchFeed;

/**
 * The {@code millrace.trainer} block, read and checked once.
 *
 * @param run              run id (checkpoints and events carry it)
 * @param maxSteps         stop after this many steps in this process (0: never)
 * @param checkpointEvery  write a checkpoint every this many steps
 * @param keepCheckpoints  checkpoints kept per run
 * @param eventEvery       publish a progress event every this many steps
 * @param prefetch         decoded batches buffered ahead of the trainer
 * @param onDry            what to do when every batch has been read
 * @param dryWait          how long the feed waits for new batches before it counts as dry
 * @param seed             seed of initialisation and of everything random in training
 */
public record TrainerSettings(String run, long maxSteps, int checkpointEvery, int keepCheckpoints, int eventEvery,
                              int prefetch, BatchFeed.DryPolicy onDry, Duration dryWait, long seed) {

    public static TrainerSettings fromConfig(Config c) {
        String p = "millrace.trainer.";
        long maxSteps = c.getLong(p + "max-steps");
        if (maxSteps < 0) {
            throw Settings.invalid(c, p + "max-steps", maxSteps, "must be >= 0 (0 trains until stopped)");
        }
        String onDry = Settings.oneOf(c, p + "on-dry", List.of("repeat", "wait"));
        return new TrainerSettings(c.getString("millrace.run-id"), maxSteps,
                Settings.positiveInt(c, p + "checkpoint-every"), Settings.positiveInt(c, p + "keep-checkpoints"),
                Settings.positiveInt(c, p + "event-every"), Settings.positiveInt(c, p + "prefetch"),
                BatchFeed.DryPolicy.valueOf(onDry.toUpperCase(java.util.Locale.ROOT)),
                Settings.positiveDuration(c, p + "dry-wait"), c.getLong(p + "seed"));
    }

    public TrainerSettings withMaxSteps(long steps) {
        return new TrainerSettings(run, steps, checkpointEvery, keepCheckpoints, eventEvery, prefetch, onDry, dryWait, seed);
    }
}
