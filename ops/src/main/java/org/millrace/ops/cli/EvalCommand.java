package org.millrace.ops.cli;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.evaluation.EvalResultPublisher;
import org.millrace.evaluation.EvalSettings;
import org.millrace.evaluation.EvalSuite;
import org.millrace.ops.KafkaConnection;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.ComputeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millrace eval CHECKPOINT}: the evaluation suite once, on one checkpoint (or an untrained model). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a checkpoint on the evaluation suite and print one line per task and metric.",
                "'eval sets' builds the evaluation sets from the corpus; 'eval report' writes the report of a run."},
        subcommands = {EvalSetsCommand.class, EvalReportCommand.class})
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CHECKPOINT", description = "Checkpoint directory (…/checkpoints/<run>/step-N).")
    Path checkpoint;

    @Option(names = "--untrained", description = "Evaluate a freshly initialised model of millrace.model instead (a baseline).")
    boolean untrained;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK[,TASK...]", description = "Only these tasks (default: millrace.eval.tasks, else all).")
    List<String> tasks;

    @Option(names = "--all", description = "Score every item and every held-out byte (ignore millrace.eval.max-items and bpb-max-bytes).")
    boolean all;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON Lines to FILE.")
    Path json;

    @Option(names = "--publish", description = "Also publish the results to millrace.eval.results.")
    boolean publish;

    @Override
    public Integer call() throws Exception {
        if ((checkpoint == null) == !untrained) {
            throw new IllegalArgumentException("give either a CHECKPOINT directory or --untrained (see 'millrace eval --help')");
        }
        if (checkpoint != null && !Files.isDirectory(checkpoint)) {
            throw new IllegalArgumentException("CHECKPOINT " + checkpoint + " is not a directory");
        }
        Config config = options.settings();
        EvalSettings settings = EvalSettings.fromConfig(config);
        if (tasks != null) {
            settings = settings.withTasks(tasks);
        }
        if (all) {
            settings = settings.unlimited();
        }
        EvalSetRegistry registry = EvalSetRegistry.open(config);
        if (registry.tasks().isEmpty()) {
            throw new IllegalStateException("no evaluation tasks: build the sets first ('millrace eval sets') or configure "
                    + EvalSetRegistry.USER_TASKS);
        }
        Tokenizer tokenizer = new ByteTokenizer();
        EvalSuite suite = EvalSuite.fromRegistry(registry, settings, tokenizer);
        long started = System.nanoTime();
        List<EvalResult> results;
        if (untrained) {
            GptConfig model = GptConfig.fromConfig(config, tokenizer.vocabSize());
            ComputeSettings compute = ComputeSettings.fromConfig(config);
            compute.applyThreads();
            try (NDManager manager = NDManager.newBaseManager()) {
                Gpt gpt = new Gpt(model);
                gpt.initialize(manager, compute.seed());
                results = suite.evaluate(gpt, manager, new EvalSuite.Origin(config.getString("millrace.run-id"), "untrained", 0, 0));
            }
        } else {
            results = suite.evaluateCheckpoint(checkpoint.toAbsolutePath().normalize());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%-18s %-14s %10s %10s %8s%n", "task", "metric", "value", "stderr", "n");
        for (EvalResult r : results) {
            System.out.printf(Locale.ROOT, "%-18s %-14s %10.4f %10s %8d%n", r.task(), r.metric(), r.value(),
                    r.stderr() == null ? "" : String.format(Locale.ROOT, "%.4f", r.stderr()), r.n());
        }
        System.out.printf(Locale.ROOT, "%d tasks in %.1f s (checkpoint %s, step %d, %d tokens)%n", suite.benchmarks().size(), seconds,
                results.get(0).checkpoint(), results.get(0).step(), results.get(0).tokens());
        if (json != null) {
            List<String> lines = new ArrayList<>();
            results.forEach(r -> lines.add(Json.writeString(r)));
            Files.write(json, lines);
        }
        if (publish) {
            try (KafkaConnection kafka = KafkaConnection.open(config, CommonOptions.dataDir(config))) {
                Topics topics = Topics.fromConfig(config);
                kafka.ensureTopics(topics);
                try (EvalResultPublisher publisher = new EvalResultPublisher(kafka.clientProperties(), topics.evalResults())) {
                    publisher.publish(results);
                }
            }
            System.out.println("published " + results.size() + " results");
        }
        return 0;
    }
}
