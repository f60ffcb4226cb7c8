package org.millrace.ops.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.millrace.common.Json;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.MillraceRun;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace run}: the whole loop in one process. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run every role in this process: the embedded broker (or --bootstrap-servers), ingestion,",
                "curation, training, evaluation and metrics. Ctrl-C stops cleanly after a last checkpoint."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N training steps and exit 0 (default: run until Ctrl-C).")
    Long maxSteps;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Write a summary of the run (figures read back from Kafka) to FILE.")
    Path summaryJson;

    @Option(names = "--documents", paramLabel = "DIR",
            description = {"Train on the Markdown and Java sources of DIR instead of the default corpus",
                    "(default: the corpus, fetched on first use; the Millrace checkout when it cannot be fetched)."})
    Path documents;

    @Override
    public Integer call() throws Exception {
        if (maxSteps != null && maxSteps < 1) {
            throw new IllegalArgumentException("--max-steps must be >= 1 (got " + maxSteps + ")");
        }
        Config config = options.settings();
        if (maxSteps != null) {
            config = ConfigFactory.empty().withValue("millrace.trainer.max-steps", ConfigValueFactory.fromAnyRef(maxSteps))
                    .withFallback(config);
        }
        if (documents != null) {
            config = ConfigFactory.empty().withValue("millrace.run.documents", ConfigValueFactory.fromAnyRef("seed"))
                    .withFallback(config);
        }
        Path seedRoot = documents != null ? documents : Path.of(System.getProperty("millrace.home", ".")).toAbsolutePath().normalize();
        ProgressLine progress = new ProgressLine(System.out);
        MillraceRun run = new MillraceRun(new MillraceRun.Options(config, CommonOptions.dataDir(config), seedRoot), progress);
        java.util.concurrent.CompletableFuture<Void> finished = new java.util.concurrent.CompletableFuture<>();
        EmbeddedKafkaBroker.delayStopOnExitUntil(finished);
        Thread hook = new Thread(() -> {
            // Ctrl-C: stop after the current step, then let the run checkpoint, drain and report before the JVM exits
            // (the JVM halts every other thread once the hooks return).
            run.requestStop();
            try {
                finished.get(120, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // exit anyway
            }
        }, "millrace-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            RunSummary summary = run.execute();
            progress.println(String.format("done: %d steps, %d tokens, final loss %.4f; documents %d in, %d kept, %d rejected",
                    summary.steps(), summary.tokens(), summary.finalLoss(), summary.docs().ingested(), summary.docs().kept(),
                    summary.docs().rejected()));
            if (summaryJson != null) {
                Path parent = summaryJson.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.write(summaryJson, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
            }
        } finally {
            finished.complete(null); // after the summary: a Ctrl-C's hook waits for it
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // Ctrl-C: the hook is what stopped the run
        }
        return 0;
    }
}
