package org.millrace.ops.run;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.common.TrainEvent;
import org.millrace.evaluation.EvalResultPublisher;
import org.millrace.evaluation.EvaluatorActor;
import org.millrace.evaluation.HeldOutLoss;
import org.millrace.evaluation.TrainEventSubscriber;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.MetricsServer;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.CurationStream;
import org.millrace.training.TrainerActor;
import org.millrace.training.TrainerSettings;
import org.millrace.training.TrainingLoop;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;

/**
 * The whole loop in one JVM: documents into Kafka, the curation stream, a trainer, an evaluator, and
 * metrics. Returns when training reaches {@code maxSteps} (or is stopped) and the last checkpoint is
 * evaluated, with a summary of what came back from Kafka.
 */
public final class MillraceRun {
    /**
     * @param config    resolved settings
     * @param dataDir   data directory
     * @param seedRoot  directory whose README, docs and sources are the documents when the corpus is not used
     *                  ({@code millrace.run.documents = seed}) or cannot be fetched
     */
    public record Options(Config config, Path dataDir, Path seedRoot) {
    }

    private final Options options;
    private final ProgressLine progress;
    private final AtomicReference<TrainingLoop.StepReport> lastStep = new AtomicReference<>();
    private final CompletableFuture<Long> trainingFinished = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<EvaluatorActor.Evaluated> evaluated = new ConcurrentLinkedQueue<>();
    private volatile ActorSystem<RunGuardian.Command> system;

    public MillraceRun(Options options, ProgressLine progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Asks training to stop after the current step (Ctrl-C); {@link #execute()} then finishes cleanly. */
    public void requestStop() {
        ActorSystem<RunGuardian.Command> s = system;
        if (s != null) {
            s.tell(new RunGuardian.StopTraining());
        }
    }

    public RunSummary execute() throws Exception {
        Config config = options.config();
        Topics topics = Topics.fromConfig(config);
        CurationSettings curation = CurationSettings.fromConfig(config, topics);
        TrainerSettings trainer = TrainerSettings.fromConfig(config);
        Tokenizer tokenizer = new ByteTokenizer();
        GptConfig model = GptConfig.fromConfig(config, tokenizer.vocabSize());
        if (curation.seqLen() > model.contextLength()) {
            throw Settings.invalid(config, "millrace.curation.seq-len", curation.seqLen(),
                    "longer than the model's context length " + model.contextLength());
        }
        Files.createDirectories(options.dataDir());
        long started = System.nanoTime();
        try (KafkaConnection kafka = KafkaConnection.open(config, options.dataDir());
             MetricsServer metrics = MetricsServer.start(config.getString("millrace.metrics.host"),
                     Settings.nonNegativeInt(config, "millrace.metrics.port"))) {
            kafka.ensureTopics(topics);
            progress.println(String.format("Kafka at %s%s · metrics at http://%s:%d/metrics · up in %.1f s",
                    kafka.bootstrapServers(), kafka.runsBroker() ? " (embedded)" : "", config.getString("millrace.metrics.host"),
                    metrics.port(), (System.nanoTime() - started) / 1e9));
            Map<String, Object> props = kafka.clientProperties();

            RunDocuments.Feed feed = RunDocuments.start(config, options.dataDir(), options.seedRoot(), props, topics, progress);
            List<HeldOutLoss> tasks = List.of(HeldOutLoss.of(feed.heldOutTask(), feed.heldOut(), tokenizer, model.contextLength()));

            ExecutorService evalExecutor = Executors.newSingleThreadExecutor(r -> new Thread(r, "millrace-evaluator"));
            try (EvalResultPublisher results = new EvalResultPublisher(props, topics.evalResults())) {
                TrainerActor.LoopFactory loops = listener -> new TrainingLoop(trainer, GptTrainer.fromConfig(config, tokenizer.vocabSize()),
                        tokenizer.name(), topics, props, options.dataDir().resolve("checkpoints"), listener);
                // Subscribed before the trainer exists, so that no checkpoint event can be missed.
                try (TrainEventSubscriber subscriber = new TrainEventSubscriber(props, topics.trainEvents(), trainer.run(), false,
                        this::announce)) {
                    system = ActorSystem.create(RunGuardian.create(loops, tasks, results, evalExecutor, observer()), "millrace", config);
                    CurationStream stream = CurationStream.start(system, curation, topics, tokenizer, props, "local");
                    try {
                        long finalStep = trainingFinished.get();
                        awaitEvaluation(finalStep, Duration.ofMinutes(5));
                    } finally {
                        feed.close(); // stop publishing before the stream drains
                        stream.drainAndShutdown(Runnable::run).toCompletableFuture().get(60, TimeUnit.SECONDS);
                        system.terminate();
                        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
                    }
                }
            } finally {
                evalExecutor.shutdownNow();
                feed.close();
            }
            progress.finish();
            return summarize(props, topics, trainer.run(), config);
        }
    }

    private void announce(TrainEvent event) {
        ActorSystem<RunGuardian.Command> s = system;
        if (s != null) {
            s.tell(new RunGuardian.CheckpointAnnounced(event));
        }
    }

    private RunObserver observer() {
        return new RunObserver() {
            @Override
            public void onTrainer(TrainerActor.Event event) {
                if (event instanceof TrainerActor.Stepped s) {
                    lastStep.set(s.report());
                    TrainingLoop.StepReport r = s.report();
                    progress.update(String.format("step %d · loss %.3f · lr %.2e · %.0f tok/s · %d tokens · data-wait %.0f%% · epoch %d",
                            r.step(), r.loss(), r.learningRate(), r.tokensPerSecond(), r.tokens(), 100 * r.dataWaitFraction(), r.epoch()));
                } else if (event instanceof TrainerActor.Finished f) {
                    trainingFinished.complete(f.step());
                }
            }

            @Override
            public void onEvaluated(EvaluatorActor.Evaluated e) {
                evaluated.add(e);
                StringBuilder line = new StringBuilder("eval @ step " + e.event().step() + ":");
                for (EvalResult r : e.results()) {
                    line.append(String.format(" %s/%s %.4f", r.task(), r.metric(), r.value()));
                }
                progress.println(line.toString());
            }
        };
    }

    private void awaitEvaluation(long step, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (evaluated.stream().noneMatch(e -> e.event().step() >= step)) {
            if (System.nanoTime() > deadline) {
                progress.println("no evaluation of step " + step + " within " + timeout + "; finishing without it");
                return;
            }
            Thread.sleep(100);
        }
    }

    private RunSummary summarize(Map<String, Object> props, Topics topics, String run, Config config) {
        Duration t = Duration.ofSeconds(60);
        long ingested = TopicReader.readAll(props, topics.docsWeb(), t).size() + TopicReader.readAll(props, topics.docsSynthetic(), t).size();
        long kept = TopicReader.readAll(props, topics.curated(), t).size();
        long rejected = TopicReader.readAll(props, topics.rejected(), t).size();
        List<RunSummary.Eval> eval = new ArrayList<>();
        TopicReader.readAll(props, topics.evalResults(), t).stream()
                .map(r -> Json.read(r.value(), EvalResult.class))
                .filter(r -> r.run().equals(run))
                .forEach(r -> eval.add(new RunSummary.Eval(r.task(), r.metric(), r.value(), r.step())));
        TrainingLoop.StepReport last = lastStep.get();
        return new RunSummary(last == null ? 0 : last.step(), last == null ? 0 : last.tokens(),
                last == null ? Double.NaN : last.loss(), new RunSummary.Docs(ingested, kept, rejected), eval,
                FilterFunnel.fromRegistry());
    }
}
