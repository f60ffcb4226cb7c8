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
import org.millrace.common.CheckpointEventFollower;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.common.TrainEvent;
import org.millrace.evaluation.EvalResultPublisher;
import org.millrace.evaluation.EvaluatorActor;
import org.millrace.evaluation.EvalSuite;
import org.millrace.ops.KafkaConnection;
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
     * @param seedRoot  directory whose README, docs and sources are the documents (until a corpus is at hand)
     */
    public record Options(Config config, Path dataDir, Path seedRoot) {
    }

    private final Options options;
    private final ProgressLine progress;
    private final AtomicReference<TrainingLoop.StepReport> lastStep = new AtomicReference<>();
    private final CompletableFuture<Long> trainingFinished = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<EvaluatorActor.Evaluated> evaluated = new ConcurrentLinkedQueue<>();
    private volatile ActorSystem<RunGuardian.Command> system;
    private volatile boolean stopRequested;

    public MillraceRun(Options options, ProgressLine progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Asks training to stop after the current step (Ctrl-C); {@link #execute()} then finishes cleanly. */
    public void requestStop() {
        stopRequested = true;
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
        Files.createDirectories(options.dataDir());
        RunDocuments documents = RunDocuments.prepare(config, options.dataDir(), options.seedRoot(), progress);
        Tokenizer tokenizer = RunTokenizer.obtain(config, options.dataDir(), documents::tokenizerSample, progress);
        GptConfig model = GptConfig.fromConfig(config, tokenizer.vocabSize());
        if (curation.seqLen() > model.contextLength()) {
            throw Settings.invalid(config, "millrace.curation.seq-len", curation.seqLen(),
                    "longer than the model's context length " + model.contextLength());
        }
        RunSummary.Classifier classifier = ClassifierBootstrap.ensure(config, curation, options.dataDir(), progress);
        long started = System.nanoTime();
        try (KafkaConnection kafka = KafkaConnection.open(config, options.dataDir());
             RunMonitoring monitoring = RunMonitoring.start(config, kafka.clientProperties(), topics, trainer.run(), progress)) {
            kafka.ensureTopics(topics);
            progress.println(String.format("Kafka at %s%s · up in %.1f s",
                    kafka.bootstrapServers(), kafka.runsBroker() ? " (embedded)" : "", (System.nanoTime() - started) / 1e9));
            Map<String, Object> props = kafka.clientProperties();
            try (RunDocuments.Feed feed = documents.start(props, topics)) {
                train(config, topics, curation, trainer, tokenizer, props, monitoring, feed);
            }
            progress.finish();
            return summarize(props, topics, trainer.run(), config, classifier);
        }
    }

    /** Training, curation, evaluation and serving until training ends; stops the feed's background publishing then. */
    private void train(Config config, Topics topics, CurationSettings curation, TrainerSettings trainer, Tokenizer tokenizer,
                       Map<String, Object> props, RunMonitoring monitoring, RunDocuments.Feed feed) throws Exception {
        EvalSuite tasks = RunEvalSuite.build(config, tokenizer, feed.heldOutTask(), feed.heldOut());

        RunServing serving = RunServing.start(config, options.dataDir(), props, topics, trainer.run(), progress);
        ExecutorService evalExecutor = Executors.newSingleThreadExecutor(r -> new Thread(r, "millrace-evaluator"));
        try (EvalResultPublisher results = new EvalResultPublisher(props, topics.evalResults())) {
            TrainerActor.LoopFactory loops = listener -> new TrainingLoop(trainer, GptTrainer.fromConfig(config, tokenizer.vocabSize()),
                    tokenizer.name(), topics, props, options.dataDir().resolve("checkpoints"), listener);
            // Subscribed before the trainer exists, so that no checkpoint event can be missed.
            try (CheckpointEventFollower subscriber = new CheckpointEventFollower(props, topics.trainEvents(),
                    "millrace-evaluator-events", trainer.run(), false, this::announce)) {
                system = ActorSystem.create(RunGuardian.create(loops, tasks, results, evalExecutor, observer(monitoring)), "millrace", config);
                CurationStream stream = CurationStream.start(system, curation, topics, tokenizer, props, "local");
                try (RunCurriculumController controller = RunCurriculumController.startIfAdaptive(config, props, progress)) {
                    long finalStep = trainingFinished.get();
                    feed.close(); // training is over: the rest of the corpus waits for the next run
                    system.tell(new RunGuardian.EvaluateLatest()); // the last checkpoint, even when every-checkpoints skips it
                    // after Ctrl-C the person waits: give the last evaluation a short while only
                    awaitEvaluation(finalStep, stopRequested ? Duration.ofSeconds(20) : Duration.ofMinutes(5));
                } finally {
                    stream.drainAndShutdown(Runnable::run).toCompletableFuture().get(60, TimeUnit.SECONDS);
                    system.terminate();
                    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            evalExecutor.shutdownNow();
            serving.close();
        }
    }

    private void announce(TrainEvent event) {
        ActorSystem<RunGuardian.Command> s = system;
        if (s != null) {
            s.tell(new RunGuardian.CheckpointAnnounced(event));
        }
    }

    private RunObserver observer(RunMonitoring monitoring) {
        return new RunObserver() {
            @Override
            public void onTrainer(TrainerActor.Event event) {
                if (event instanceof TrainerActor.Stepped s) {
                    lastStep.set(s.report());
                    monitoring.stepped(s.report());
                    TrainingLoop.StepReport r = s.report();
                    progress.update(String.format("step %d · loss %.3f · lr %.2e · %.0f tok/s · %d tokens · data-wait %.0f%% · %s epoch %d",
                            r.step(), r.loss(), r.learningRate(), r.tokensPerSecond(), r.tokens(), 100 * r.dataWaitFraction(), r.bucket(),
                            r.epoch()));
                } else if (event instanceof TrainerActor.Finished f) {
                    trainingFinished.complete(f.step());
                } else if (event instanceof TrainerActor.Failed f) {
                    trainingFinished.completeExceptionally(new IllegalStateException(f.reason()));
                }
            }

            @Override
            public void onEvaluated(EvaluatorActor.Evaluated e) {
                evaluated.add(e);
                monitoring.evaluated(e);
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

    private RunSummary summarize(Map<String, Object> props, Topics topics, String run, Config config,
                                 RunSummary.Classifier classifier) {
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
                FilterFunnel.fromRegistry(), classifier);
    }
}
