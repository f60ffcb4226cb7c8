package org.millrace.evaluation;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.millrace.common.EvalResult;
import org.millrace.common.Tokenizer;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.EvalTaskDefinition;
import org.millrace.evaluation.scoring.Benchmark;
import org.millrace.evaluation.scoring.BitsPerByteBenchmark;
import org.millrace.evaluation.scoring.ExactMatchBenchmark;
import org.millrace.evaluation.scoring.LanguageModel;
import org.millrace.evaluation.scoring.MultipleChoiceBenchmark;
import org.millrace.evaluation.scoring.Score;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptParameters;

/**
 * The benchmarks one evaluation runs, tokenized once: the registry's tasks (or those named in
 * {@code millrace.eval.tasks}) plus any extra ones. Evaluating a checkpoint loads its model, scores
 * every task, and gives one {@link EvalResult} per task and metric.
 */
public final class EvalSuite {
    private final List<Benchmark> benchmarks;
    private final Tokenizer tokenizer;
    private final EvalSettings settings;

    public EvalSuite(List<Benchmark> benchmarks, Tokenizer tokenizer, EvalSettings settings) {
        this.benchmarks = List.copyOf(benchmarks);
        this.tokenizer = tokenizer;
        this.settings = settings;
    }

    /** The registry's tasks as {@code settings} selects and caps them. */
    public static EvalSuite fromRegistry(EvalSetRegistry registry, EvalSettings settings, Tokenizer tokenizer) {
        List<String> names = settings.tasks().isEmpty()
                ? registry.tasks().stream().map(EvalTaskDefinition::name).toList() : settings.tasks();
        List<Benchmark> out = new ArrayList<>();
        for (String name : names) {
            EvalTaskDefinition t = registry.task(name);
            List<EvalItem> items = registry.items(name);
            List<EvalItem> capped = settings.maxItems() > 0 && items.size() > settings.maxItems()
                    ? items.subList(0, settings.maxItems()) : items;
            out.add(switch (t.type()) {
                case BITS_PER_BYTE -> BitsPerByteBenchmark.of(name, items.stream().map(EvalItem::text).toList(), tokenizer,
                        settings.bpbMaxBytes());
                case MULTIPLE_CHOICE -> new MultipleChoiceBenchmark(name, capped, tokenizer);
                case EXACT_MATCH -> new ExactMatchBenchmark(name, capped, tokenizer, settings.maxNewTokens());
            });
        }
        return new EvalSuite(out, tokenizer, settings);
    }

    /** This suite with one more benchmark. */
    public EvalSuite with(Benchmark extra) {
        List<Benchmark> all = new ArrayList<>(benchmarks);
        all.add(extra);
        return new EvalSuite(all, tokenizer, settings);
    }

    public List<Benchmark> benchmarks() {
        return benchmarks;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public EvalSettings settings() {
        return settings;
    }

    /** Where a model came from, as results record it. */
    public record Origin(String run, String checkpoint, long step, long tokens) {
    }

    /** Loads a checkpoint's model and evaluates it. */
    public List<EvalResult> evaluateCheckpoint(Path checkpoint) {
        CheckpointManifest manifest = CheckpointStore.readManifest(checkpoint);
        if (!manifest.tokenizer().equals(tokenizer.name())) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was trained with tokenizer " + manifest.tokenizer()
                    + ", the evaluation sets are tokenized with " + tokenizer.name());
        }
        GptConfig config = TrainingLoop.modelConfig(manifest);
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt model = GptParameters.open(config, manager, TrainingLoop.parametersFile(checkpoint));
            return evaluate(model, manager, new Origin(manifest.run(), checkpoint.toString(), manifest.step(), manifest.tokens()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** Scores every benchmark on a model. */
    public List<EvalResult> evaluate(Gpt model, NDManager manager, Origin origin) {
        LanguageModel lm = new LanguageModel(model, manager, tokenizer, settings.batchSize());
        List<EvalResult> results = new ArrayList<>();
        for (Benchmark b : benchmarks) {
            List<Score> scores = b.run(lm);
            long now = System.currentTimeMillis();
            for (Score s : scores) {
                results.add(new EvalResult(origin.run(), origin.checkpoint(), origin.step(), origin.tokens(), b.name(), s.metric(),
                        s.value(), Double.isNaN(s.stderr()) ? null : s.stderr(), s.n(), now));
            }
        }
        return results;
    }
}
