package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.MetricsServer;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.ProgressLine;
import org.millrace.processing.CurationMetrics;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.CurationStream;
import org.millrace.processing.tokenizer.Tokenizers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code millrace curate}: the curation stream alone, from the document topics to the curated,
 * rejected and batch topics, exactly once, until SIGTERM or Ctrl-C; then the records in flight are
 * produced and committed (the stream's draining control) before the process exits.
 */
@Command(name = "curate", mixinStandardHelpOptions = true,
        description = {"Run the curation stream alone: millrace.docs.web and millrace.docs.synthetic through the",
                "filters of millrace.curation.pipeline into millrace.docs.curated, millrace.docs.rejected and",
                "millrace.batches.<bucket>, exactly once (Kafka transactions), until SIGTERM or Ctrl-C; then what is",
                "in flight is produced and committed. Dedup state lives under --data-dir.",
                "Exit code: 143 after SIGTERM (130 after Ctrl-C) and a clean drain; 1 when the stream failed or",
                "stopped by itself."})
public final class CurateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--node-id", paramLabel = "ID", defaultValue = "curate",
            description = "Names this node's transactional producer and group member; unique per curation node, the same "
                    + "across restarts of one node (a restarted node then fences its crashed predecessor). Default: ${DEFAULT-VALUE}")
    String nodeId;

    @Override
    public Integer call() throws Exception {
        if (nodeId.isBlank() || !nodeId.matches("[A-Za-z0-9._-]+")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--node-id may hold only letters, digits, '.', '_' and '-' (got '" + nodeId + "')");
        }
        Config config = options.settings();
        Topics topics = Topics.fromConfig(config);
        CurationSettings curation = CurationSettings.fromConfig(config, topics);
        Tokenizer tokenizer = Tokenizers.fromConfig(config, CommonOptions.dataDir(config));
        ProgressLine progress = new ProgressLine(System.out);
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        EmbeddedKafkaBroker.delayStopOnExitUntil(stopped);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "millrace-curate-progress");
            t.setDaemon(true);
            return t;
        });
        try (KafkaConnection kafka = KafkaConnection.open(config, CommonOptions.dataDir(config));
             MetricsServer metrics = MetricsServer.start(config.getString("millrace.metrics.host"),
                     Settings.nonNegativeInt(config, "millrace.metrics.port"))) {
            kafka.ensureTopics(topics);
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "millrace-curate", config);
            CurationStream stream;
            try {
                stream = CurationStream.start(system, curation, topics, tokenizer, kafka.clientProperties(), nodeId);
            } catch (RuntimeException e) {
                system.terminate();
                throw e;
            }
            progress.println(String.format(Locale.ROOT, "curating %s, %s → %s, %s, %s.* · node %s · tokenizer %s · pipeline %s"
                            + " · Kafka at %s%s · metrics at http://%s:%d/metrics",
                    topics.docsWeb(), topics.docsSynthetic(), topics.curated(), topics.rejected(), topics.prefix() + ".batches",
                    nodeId, tokenizer.name(), curation.pipeline(), kafka.bootstrapServers(), kafka.runsBroker() ? " (embedded)" : "",
                    config.getString("millrace.metrics.host"), metrics.port()));
            Rate rate = new Rate(CurationMetrics.INSTANCE.totals(), System.nanoTime());
            ticker.scheduleAtFixedRate(() -> progress.update(rate.line(CurationMetrics.INSTANCE.totals(), System.nanoTime())),
                    1, 1, TimeUnit.SECONDS);
            java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
            Thread hook = new Thread(() -> {
                stopping.set(true);
                // SIGTERM or Ctrl-C: stop consuming, produce and commit what is in flight, then stop.
                try {
                    stream.drainAndShutdown(Runnable::run).toCompletableFuture().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("millrace curate: draining the stream failed: " + e);
                }
                system.terminate();
                try {
                    stopped.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // exit anyway
                }
            }, "millrace-curate-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stream.completion().toCompletableFuture().join();
                if (stopping.get()) {
                    progress.println("the curation stream stopped");
                    return 0;
                }
                progress.println("the curation stream completed by itself (the consumer stopped?); see the log");
                return 1;
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                progress.println("the curation stream failed: " + cause);
                return 1;
            } finally {
                boolean hookRemoved;
                try {
                    hookRemoved = Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    hookRemoved = false; // the hook drains and stops
                }
                if (hookRemoved) {
                    try {
                        stream.drainAndShutdown(Runnable::run).toCompletableFuture().get(60, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException failed) {
                        // the stream's failure is reported above
                    }
                    system.terminate();
                }
                system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
                progress.println(rate.summary(CurationMetrics.INSTANCE.totals(), System.nanoTime()));
            }
        } finally {
            ticker.shutdownNow();
            stopped.complete(null);
        }
    }

    /** Documents and megabytes per second since the previous line, and totals since the start. */
    private static final class Rate {
        private final CurationMetrics.Totals start;
        private final long startNanos;
        private CurationMetrics.Totals last;
        private long lastNanos;

        Rate(CurationMetrics.Totals start, long nanos) {
            this.start = start;
            this.startNanos = nanos;
            this.last = start;
            this.lastNanos = nanos;
        }

        synchronized String line(CurationMetrics.Totals now, long nanos) {
            double seconds = Math.max(1e-9, (nanos - lastNanos) / 1e9);
            String line = String.format(Locale.ROOT, "%.0f documents/s · %.2f MB/s · %,d documents in, %,d curated, %,d dropped · %,d tokens",
                    (now.documentsIn() - last.documentsIn()) / seconds, (now.bytesIn() - last.bytesIn()) / seconds / 1e6,
                    now.documentsIn() - start.documentsIn(), now.curated() - start.curated(), now.dropped() - start.dropped(),
                    now.tokens() - start.tokens());
            last = now;
            lastNanos = nanos;
            return line;
        }

        String summary(CurationMetrics.Totals now, long nanos) {
            double seconds = Math.max(1e-9, (nanos - startNanos) / 1e9);
            return String.format(Locale.ROOT, "curated for %.1f s: %,d documents in (%.0f/s), %,d curated, %,d dropped, %,d tokens",
                    seconds, now.documentsIn() - start.documentsIn(), (now.documentsIn() - start.documentsIn()) / seconds,
                    now.curated() - start.curated(), now.dropped() - start.dropped(), now.tokens() - start.tokens());
        }
    }
}
