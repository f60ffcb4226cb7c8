package org.millrace.evaluation.scoring;

import java.util.List;
import org.millrace.common.evalsets.EvalTaskType;

/** A task ready to score: its items, tokenized once, and the metrics it reports. */
public interface Benchmark {
    String name();

    EvalTaskType type();

    /** Items scored per evaluation. */
    int size();

    List<Score> run(LanguageModel lm);

    /** Mean and its standard error over per-item values (sample variance, as lm-evaluation-harness). */
    static double[] meanAndStderr(double[] values) {
        int n = values.length;
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= Math.max(1, n);
        if (n < 2) {
            return new double[] {mean, Double.NaN};
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (n - 1) / n)};
    }
}
