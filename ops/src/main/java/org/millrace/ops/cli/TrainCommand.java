package org.millrace.ops.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.MetricsServer;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.TrainerRole;
import org.millrace.training.MatmulPeak;
import org.millrace.training.TrainerActor;
import org.millrace.training.TrainerSettings;
import org.millrace.training.TrainingLoop;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace train}: the trainer role alone, on batches already on (or arriving at) the bucket topics. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Run the trainer role alone, against an existing broker (--bootstrap-servers)",
                "or the embedded one of --data-dir: train on the token batches of the bucket",
                "topics by the curriculum, checkpoint under <data-dir>/checkpoints/<run-id>",
                "and resume from there. Shows step, loss, tokens/s and time left.",
                "Ctrl-C stops after the current step, with a last checkpoint."})
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N steps in this process and exit 0 (default: millrace.trainer.max-steps, where 0 trains until Ctrl-C).")
    Long maxSteps;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run to train (checkpoints and events carry it; default: millrace.run-id).")
    String runId;

    @Override
    public Integer call() throws Exception {
        if (maxSteps != null && maxSteps < 1) {
            throw new IllegalArgumentException("--max-steps must be >= 1 (got " + maxSteps + ")");
        }
        Config config = options.settings();
        if (maxSteps != null) {
            config = ConfigFactory.empty().withValue("millrace.trainer.max-steps", ConfigValueFactory.fromAnyRef(maxSteps)).withFallback(config);
        }
        if (runId != null) {
            config = ConfigFactory.empty().withValue("millrace.run-id", ConfigValueFactory.fromAnyRef(runId)).withFallback(config);
        }
        final Config settingsConfig = config;
        TrainerSettings trainer = TrainerSettings.fromConfig(config);
        Topics topics = Topics.fromConfig(config);
        Tokenizer tokenizer = new ByteTokenizer();
        GptConfig model = GptConfig.fromConfig(config, tokenizer.vocabSize());
        ProgressLine progress = new ProgressLine(System.out);
        CompletableFuture<Long> finished = new CompletableFuture<>();
        // completed once the actor system (and the trainer's native memory with it) is closed
        CompletableFuture<Void> closed = new CompletableFuture<>();
        EmbeddedKafkaBroker.delayStopOnExitUntil(finished);
        try (KafkaConnection kafka = KafkaConnection.open(config, CommonOptions.dataDir(config));
             MetricsServer metrics = MetricsServer.start(config.getString("millrace.metrics.host"),
                     Settings.nonNegativeInt(config, "millrace.metrics.port"))) {
            kafka.ensureTopics(topics);
            MatmulPeak peak = MatmulPeak.resolve(trainer.benchResults());
            progress.println(String.format(Locale.ROOT, "run %s · model %s, %,d parameters · Kafka at %s%s · metrics at http://%s:%d/metrics",
                    trainer.run(), config.getString("millrace.model.preset"), model.parameterCount(), kafka.bootstrapServers(),
                    kafka.runsBroker() ? " (embedded)" : "", config.getString("millrace.metrics.host"), metrics.port()));
            progress.println("curriculum " + trainer.curriculum().describe());
            progress.println(String.format(Locale.ROOT, "MFU against %.1f GFLOP/s: %s", peak.gflops(), peak.source()));
            TrainerActor.LoopFactory loops = listener -> new TrainingLoop(trainer,
                    GptTrainer.fromConfig(settingsConfig, tokenizer.vocabSize()), tokenizer.name(), topics, kafka.clientProperties(),
                    CommonOptions.dataDir(settingsConfig).resolve("checkpoints"), listener);
            ActorSystem<TrainerRole.Command> system = ActorSystem.create(TrainerRole.create(loops, event -> {
                if (event instanceof TrainerActor.Stepped s) {
                    progress.update(statusLine(s.report(), trainer.maxSteps()));
                } else if (event instanceof TrainerActor.Checkpointed c) {
                    progress.println("checkpoint " + c.checkpoint());
                } else if (event instanceof TrainerActor.Finished f) {
                    finished.complete(f.step());
                } else if (event instanceof TrainerActor.Failed f) {
                    finished.completeExceptionally(new IllegalStateException(f.reason()));
                }
            }), "millrace-train", config);
            Thread hook = new Thread(() -> {
                system.tell(new TrainerRole.StopTraining());
                try {
                    finished.get(120, TimeUnit.SECONDS);
                    // The JVM halts every other thread once the hooks return, and then runs libtorch's exit
                    // handlers: let the main thread close the system first, so no thread is inside libtorch then.
                    closed.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // exit anyway
                }
            }, "millrace-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                long step = finished.get();
                progress.finish();
                progress.println("stopped at step " + step);
            } finally {
                system.terminate();
                try {
                    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
                } finally {
                    closed.complete(null);
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook stopped the trainer
                }
            }
        } finally {
            finished.complete(-1L);
        }
        return 0;
    }

    /** The terminal line: step, loss, tokens/s and, with max-steps, time left. */
    static String statusLine(TrainingLoop.StepReport r, long maxSteps) {
        String left = Double.isNaN(r.secondsLeft()) ? "" : " · " + duration(r.secondsLeft()) + " left";
        return String.format(Locale.ROOT, "step %d · loss %.3f · %.0f tok/s%s · lr %.2e · data-wait %.1f%% · MFU %.1f%% · %s · %s",
                r.step(), r.loss(), r.tokensPerSecond(), left, r.learningRate(), 100 * r.dataWaitFraction(), 100 * r.mfu(),
                r.phase(), r.bucket());
    }

    static String duration(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%d:%02d", d.toMinutesPart(), d.toSecondsPart());
    }
}
