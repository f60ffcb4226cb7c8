package org.millrace.training.curriculum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millrace.common.EvalResult;

/**
 * Turns the evaluation results of successive checkpoints into per-bucket rewards: the relative drop of
 * each bucket's held-out loss since the previous checkpoint, over {@code reward-scale}, clipped to [0, 1].
 * A bucket's loss is the mean over its {@code reward-tasks} that were evaluated, else the run's held-out
 * task ({@code held-out-task-prefix}).
 */
final class HeldOutRewards {
    private final AdaptiveSettings settings;
    private final List<String> buckets;
    private Map<String, Double> previous;

    HeldOutRewards(AdaptiveSettings settings, List<String> buckets) {
        this.settings = settings;
        this.buckets = List.copyOf(buckets);
    }

    /**
     * Takes one checkpoint's results.
     *
     * @return bucket → reward, or null for the first checkpoint (nothing to compare with) or when the
     *         results hold none of the tasks
     */
    Map<String, Double> next(List<EvalResult> checkpoint) {
        Map<String, Double> byTask = new HashMap<>();
        String heldOut = null;
        for (EvalResult r : checkpoint) {
            if (r.metric().equals(settings.metric()) && Double.isFinite(r.value())) {
                byTask.put(r.task(), r.value());
                if (r.task().startsWith(settings.heldOutTaskPrefix()) && (heldOut == null || r.task().compareTo(heldOut) < 0)) {
                    heldOut = r.task();
                }
            }
        }
        Map<String, Double> losses = new LinkedHashMap<>();
        for (String bucket : buckets) {
            List<Double> values = new ArrayList<>();
            for (String task : settings.rewardTasks().getOrDefault(bucket, List.of())) {
                if (byTask.containsKey(task)) {
                    values.add(byTask.get(task));
                }
            }
            if (values.isEmpty() && heldOut != null) {
                values.add(byTask.get(heldOut));
            }
            if (!values.isEmpty()) {
                losses.put(bucket, values.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
            }
        }
        if (losses.isEmpty()) {
            return null;
        }
        Map<String, Double> before = previous;
        previous = losses;
        if (before == null) {
            return null;
        }
        Map<String, Double> rewards = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            Double was = before.get(e.getKey());
            if (was == null || was <= 0) {
                continue;
            }
            double drop = (was - e.getValue()) / was;
            rewards.put(e.getKey(), Math.min(1, Math.max(0, drop / settings.rewardScale())));
        }
        return rewards;
    }
}
