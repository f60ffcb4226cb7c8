package org.millrace.ops.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.EvalResult;
import org.millrace.ops.run.RunSummary;

/**
 * What one arm and seed gave.
 *
 * @param arm            arm label
 * @param seed           its seed
 * @param run            run id (and topic prefix part)
 * @param steps          optimizer steps trained
 * @param tokens         training tokens
 * @param finalLoss      training loss of the last step
 * @param seconds        wall-clock time of the arm, curation and evaluation included
 * @param msPer1kTokens  seconds × 1,000,000 / tokens: wall time per 1,000 training tokens (start, curation and
 *                       evaluation included)
 * @param trainMsPer1kTokens time per 1,000 tokens between the run's first and last progress events on its train
 *                       events topic: the training loop alone (data waits and checkpoints included), NaN if too few
 * @param docs           documents ingested, kept, rejected
 * @param results        every evaluation result of the run, as on its results topic
 * @param mixtures       mixtures published to its curriculum topic (the adaptive arm's controller)
 */
public record ArmRun(String arm, long seed, String run, long steps, long tokens, @JsonProperty("final_loss") double finalLoss,
                     double seconds, @JsonProperty("ms_per_1k_tokens") double msPer1kTokens,
                     @JsonProperty("train_ms_per_1k_tokens") double trainMsPer1kTokens, RunSummary.Docs docs,
                     List<EvalResult> results, List<CurriculumUpdate> mixtures) {

    /** "task metric" → the result of the last evaluated checkpoint (the latest evaluation of it). */
    public Map<String, EvalResult> finalResults() {
        long last = results.stream().mapToLong(EvalResult::step).max().orElse(-1);
        Map<String, EvalResult> out = new TreeMap<>();
        results.stream().filter(r -> r.step() == last).sorted(Comparator.comparingLong(EvalResult::time))
                .forEach(r -> out.put(key(r), r));
        return out;
    }

    static String key(EvalResult r) {
        return r.task() + " " + r.metric();
    }
}
