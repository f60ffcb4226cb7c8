package org.millrace.evaluation;

import com.typesafe.config.Config;
import java.util.List;
import org.millrace.common.Settings;

/**
 * The evaluator's part of {@code millrace.eval}.
 *
 * @param everyCheckpoints evaluate every Nth announced checkpoint (the last one of a run always)
 * @param batchSize        sequences per forward pass when scoring log-likelihoods
 * @param bpbMaxBytes      bytes of held-out text scored per bits-per-byte task and evaluation (0: all)
 * @param maxItems         items scored per multiple-choice or exact-match task and evaluation (0: all)
 * @param maxNewTokens     longest generation of an exact-match item
 * @param tasks            tasks to evaluate, by name; empty means every task of the registry
 * @param buildSetsOnRun   whether {@code run} builds the sets from the corpus when none are built yet
 */
public record EvalSettings(int everyCheckpoints, int batchSize, long bpbMaxBytes, int maxItems, int maxNewTokens,
                           List<String> tasks, boolean buildSetsOnRun) {
    private static final String P = "millrace.eval.";

    public EvalSettings {
        tasks = List.copyOf(tasks);
    }

    public static EvalSettings fromConfig(Config c) {
        long bpb = c.getBytes(P + "bpb-max-bytes");
        if (bpb < 0) {
            throw Settings.invalid(c, P + "bpb-max-bytes", bpb, "must be >= 0 (0 scores all)");
        }
        return new EvalSettings(Settings.positiveInt(c, P + "every-checkpoints"), Settings.positiveInt(c, P + "batch-size"),
                bpb, Settings.nonNegativeInt(c, P + "max-items"), Settings.positiveInt(c, P + "max-new-tokens"),
                c.getStringList(P + "tasks"), c.getBoolean(P + "build-sets-on-run"));
    }

    public EvalSettings withTasks(List<String> only) {
        return new EvalSettings(everyCheckpoints, batchSize, bpbMaxBytes, maxItems, maxNewTokens, only, buildSetsOnRun);
    }

    /** All items and all held-out bytes (a full, slower evaluation). */
    public EvalSettings unlimited() {
        return new EvalSettings(everyCheckpoints, batchSize, 0, 0, maxNewTokens, tasks, buildSetsOnRun);
    }
}
