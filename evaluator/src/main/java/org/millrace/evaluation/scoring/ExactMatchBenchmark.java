package org.millrace.evaluation.scoring;

import java.util.List;
import org.millrace.common.Tokenizer;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.EvalTaskType;

/**
 * Generation with exact match: greedy decoding after the context until the end of the line; an item
 * counts when the generated line equals the answer, both stripped of surrounding whitespace. Generation
 * stops after as many tokens as the answer has plus one (a longer line cannot match) or
 * {@code maxNewTokens}, whichever comes first.
 */
public final class ExactMatchBenchmark implements Benchmark {
    private final String name;
    private final List<EvalItem> items;
    private final int[] budgets;

    public ExactMatchBenchmark(String name, List<EvalItem> items, Tokenizer tokenizer, int maxNewTokens) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("exact-match task " + name + " has no items");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("millrace.eval.max-new-tokens must be >= 1 (got " + maxNewTokens + ")");
        }
        this.name = name;
        this.items = List.copyOf(items);
        this.budgets = items.stream().mapToInt(i -> Math.min(maxNewTokens, tokenizer.encode(i.answer() + "\n").length + 1)).toArray();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EvalTaskType type() {
        return EvalTaskType.EXACT_MATCH;
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public List<Score> run(LanguageModel lm) {
        double[] hits = new double[items.size()];
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = items.get(i);
            String line = lm.greedyLine(item.context(), budgets[i]);
            hits[i] = line.strip().equals(item.answer().strip()) ? 1 : 0;
        }
        double[] em = Benchmark.meanAndStderr(hits);
        return List.of(new Score("exact_match", em[0], em[1], items.size()));
    }
}
