package org.millrace.training.curriculum;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millrace.common.Settings;

/**
 * The {@code millrace.curriculum.mode} switch and the {@code millrace.curriculum.adaptive} block: how the
 * curriculum controller turns evaluation results into mixtures.
 *
 * @param adaptive          whether mode = adaptive
 * @param floor             least weight of every bucket
 * @param maxChange         largest change of one bucket's weight per published mixture
 * @param exploration       EXP3's gamma
 * @param rewardScale       relative drop of a held-out loss worth the full reward 1
 * @param metric            metric of the reward tasks
 * @param rewardTasks       bucket → tasks whose drop rewards it
 * @param heldOutTaskPrefix name prefix of the run's held-out task (the reward of buckets without tasks)
 * @param leadSteps         a mixture applies from the evaluated step plus this many steps
 * @param settle            quiet time after which a checkpoint's results count as complete
 * @param seed              seed of the bandit's draws
 */
public record AdaptiveSettings(boolean adaptive, double floor, double maxChange, double exploration, double rewardScale,
                               String metric, Map<String, List<String>> rewardTasks, String heldOutTaskPrefix, int leadSteps,
                               Duration settle, long seed) {
    private static final String P = "millrace.curriculum.adaptive.";

    public AdaptiveSettings {
        rewardTasks = Map.copyOf(rewardTasks);
        if (!(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException(P + "floor must be within [0, 1) (got " + floor + ")");
        }
        if (!(maxChange > 0 && maxChange <= 1)) {
            throw new IllegalArgumentException(P + "max-change must be within (0, 1] (got " + maxChange + ")");
        }
        if (!(exploration > 0 && exploration <= 1)) {
            throw new IllegalArgumentException(P + "exploration must be within (0, 1] (got " + exploration + ")");
        }
        if (!(rewardScale > 0) || Double.isInfinite(rewardScale)) {
            throw new IllegalArgumentException(P + "reward-scale must be a finite number > 0 (got " + rewardScale + ")");
        }
        if (leadSteps < 0) {
            throw new IllegalArgumentException(P + "lead-steps must be >= 0 (got " + leadSteps + ")");
        }
    }

    /** Checks that the floor leaves room for the bandit over {@code buckets}. */
    public void checkBuckets(List<String> buckets) {
        if (floor * buckets.size() >= 1) {
            throw new IllegalArgumentException(P + "floor = " + floor + " is too large for " + buckets.size()
                    + " buckets " + buckets + ": buckets x floor must stay below 1");
        }
    }

    public static AdaptiveSettings fromConfig(Config c) {
        boolean adaptive = Settings.oneOf(c, "millrace.curriculum.mode", List.of("fixed", "adaptive")).equals("adaptive");
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        Config rt = c.getConfig(P + "reward-tasks");
        for (String bucket : rt.root().keySet()) {
            tasks.put(bucket, rt.getStringList(com.typesafe.config.ConfigUtil.joinPath(bucket)));
        }
        try {
            return new AdaptiveSettings(adaptive, Settings.doubleInRange(c, P + "floor", 0, 0.999_999),
                    Settings.doubleInRange(c, P + "max-change", 1e-9, 1), Settings.doubleInRange(c, P + "exploration", 1e-9, 1),
                    Settings.positiveDouble(c, P + "reward-scale"), c.getString(P + "metric"), tasks,
                    c.getString(P + "held-out-task-prefix"), Settings.nonNegativeInt(c, P + "lead-steps"),
                    Settings.positiveDuration(c, P + "settle"), c.getLong(P + "seed"));
        } catch (IllegalArgumentException e) {
            throw e instanceof Settings.SettingsException s ? s : new Settings.SettingsException(e.getMessage(), e);
        }
    }
}
