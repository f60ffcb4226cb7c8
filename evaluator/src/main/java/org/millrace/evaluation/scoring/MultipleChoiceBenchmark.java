package org.millrace.evaluation.scoring;

import java.util.ArrayList;
import java.util.List;
import org.millrace.common.Tokenizer;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.EvalTaskType;

/**
 * Multiple choice by log-likelihood, as lm-evaluation-harness: each choice is scored as the continuation
 * of the context; {@code acc} counts items whose right choice has the largest log-likelihood,
 * {@code acc_norm} divides each log-likelihood by the choice's length in characters first (so long
 * answers are not penalised for their length). Ties go to the first choice.
 */
public final class MultipleChoiceBenchmark implements Benchmark {
    private final String name;
    private final List<EvalItem> items;
    private final List<LanguageModel.Request> requests = new ArrayList<>();

    public MultipleChoiceBenchmark(String name, List<EvalItem> items, Tokenizer tokenizer) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("multiple-choice task " + name + " has no items");
        }
        this.name = name;
        this.items = List.copyOf(items);
        for (EvalItem item : items) {
            int[] context = tokenizer.encode(item.context());
            for (String choice : item.choices()) {
                requests.add(new LanguageModel.Request(context, tokenizer.encode(choice)));
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EvalTaskType type() {
        return EvalTaskType.MULTIPLE_CHOICE;
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public List<Score> run(LanguageModel lm) {
        double[] ll = lm.logLikelihoods(requests);
        double[] acc = new double[items.size()];
        double[] accNorm = new double[items.size()];
        int k = 0;
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = items.get(i);
            int best = -1;
            int bestNorm = -1;
            double bestLl = Double.NEGATIVE_INFINITY;
            double bestNormLl = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < item.choices().size(); c++, k++) {
                double norm = ll[k] / item.choices().get(c).length();
                if (ll[k] > bestLl) {
                    bestLl = ll[k];
                    best = c;
                }
                if (norm > bestNormLl) {
                    bestNormLl = norm;
                    bestNorm = c;
                }
            }
            acc[i] = best == item.gold() ? 1 : 0;
            accNorm[i] = bestNorm == item.gold() ? 1 : 0;
        }
        double[] a = Benchmark.meanAndStderr(acc);
        double[] an = Benchmark.meanAndStderr(accNorm);
        return List.of(new Score("acc", a[0], a[1], items.size()), new Score("acc_norm", an[0], an[1], items.size()));
    }
}
