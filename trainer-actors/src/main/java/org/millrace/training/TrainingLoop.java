package org.millrace.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.millrace.common.Json;
import org.millrace.common.Topics;
import org.millrace.common.TrainEvent;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.curriculum.SplitMix64;
import org.millrace.training.curriculum.UpdateSource;
import org.millrace.training.feed.BatchSource;
import org.millrace.training.feed.FedBatch;
import org.millrace.training.feed.FeedPosition;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.model.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop of one trainer: the curriculum draws a bucket, the feed hands over that bucket's next
 * batch, one optimizer step trains on its real tokens (padding masked), and every so often a checkpoint
 * records model, optimizer, curriculum, RNG and feed position. Runs on its own thread (never an actor
 * dispatcher's).
 *
 * <p>Exactly-once per checkpoint lineage: a checkpoint records, per batch partition, the offset after the
 * last batch trained on; a restarted loop loads the newest checkpoint and the feed seeks there. With the
 * same seed, threads and data, a resumed run trains on the same batches in the same order with the same
 * updates as an uninterrupted one.
 */
public final class TrainingLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What the loop reports while it runs. */
    public interface Listener {
        void onStep(StepReport report);

        void onCheckpoint(Path checkpoint, CheckpointManifest manifest);
    }

    /**
     * One step's figures for progress displays and tests.
     *
     * @param tokensPerSecond  wall-clock throughput over the last steps
     * @param dataWaitFraction share of wall time spent waiting for batches since the loop started
     * @param bucket           the bucket of this step's batch
     * @param epoch            the pass over that bucket this step's batch was read in (0: the first)
     * @param waitSeconds      time this step waited for its batch
     * @param stepSeconds      compute time of this step
     * @param mfu              model FLOP utilisation at {@code tokensPerSecond}
     * @param secondsLeft      estimated time to max-steps, NaN when training until stopped
     */
    public record StepReport(long step, long tokens, double loss, double learningRate, double gradNorm,
                             double tokensPerSecond, double dataWaitFraction, String bucket, int epoch, String batchId,
                             double waitSeconds, double stepSeconds, double mfu, String phase, double secondsLeft) {
    }

    private final TrainerSettings settings;
    private final GptTrainer trainer;
    private final String tokenizer;
    private final TrainerIo io;
    private final CheckpointStore store;
    private final Listener listener;
    private final TrainerMetrics metrics = TrainerMetrics.INSTANCE;
    private final CurriculumScheduler curriculum;
    private final Map<String, Object> modelDescription;
    private FeedPosition position = new FeedPosition(org.millrace.training.feed.FeedStart.beginning());
    private volatile boolean running = true;
    private volatile long step;
    private long tokens;
    private double lastLoss = Double.NaN;
    private Path resumedFrom;
    private boolean allDryWarned;

    /** A loop on Kafka: batches from the bucket topics, mixtures from the curriculum topic, events to the events topic. */
    public TrainingLoop(TrainerSettings settings, GptTrainer trainer, String tokenizer, Topics topics,
                        Map<String, Object> kafka, Path checkpointsDir, Listener listener) {
        this(settings, trainer, tokenizer, topics, TrainerIo.kafka(kafka, topics, settings), checkpointsDir, listener);
    }

    public TrainingLoop(TrainerSettings settings, GptTrainer trainer, String tokenizer, Topics topics, TrainerIo io,
                        Path checkpointsDir, Listener listener) {
        this.settings = settings;
        this.trainer = trainer;
        this.tokenizer = tokenizer;
        this.io = io;
        this.store = new CheckpointStore(checkpointsDir, settings.run(), settings.keepCheckpoints());
        this.listener = listener;
        this.curriculum = new CurriculumScheduler(settings.curriculum(), topics.buckets(), settings.seed());
        this.modelDescription = modelDescription(trainer.model().config());
        metrics.initRun(settings.run());
    }

    /** Asks the loop to stop after the current step; it writes a last checkpoint. */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        resume();
        MatmulPeak peak = MatmulPeak.resolve(settings.benchResults());
        long parameters = trainer.model().config().parameterCount();
        LOG.info("run {}: curriculum {}; MFU against {} GFLOP/s, {}", settings.run(), settings.curriculum().describe(),
                String.format(java.util.Locale.ROOT, "%.1f", peak.gflops()), peak.source());
        metrics.matmulPeak.labelValues(settings.run()).set(peak.gflops());
        ThroughputMeter meter = new ThroughputMeter();
        long stepsHere = 0;
        try (LineageLog lineage = LineageLog.open(store.runDir(), step, resumedFrom);
             BatchSource feed = io.feeds().apply(position.start());
             UpdateSource updates = settings.curriculum().liveUpdates() ? io.updates().apply(curriculum.state().updateOffsets())
                     : UpdateSource.none();
             TrainerIo.EventSink events = io.events().get()) {
            if (!updates.awaitCaughtUp(Duration.ofSeconds(30))) {
                LOG.warn("the curriculum topic was not read to its end within 30 s; mixtures published before the start may apply late");
            }
            long lastCheckpointStep = step;
            while (running && (settings.maxSteps() == 0 || stepsHere < settings.maxSteps())) {
                applyUpdates(updates);
                long waitStart = System.nanoTime();
                FedBatch fed = take(feed);
                long waited = System.nanoTime() - waitStart;
                meter.waited(waited);
                metrics.dataWaitSeconds.labelValues(settings.run()).inc(waited / 1e9);
                if (fed == null) {
                    break; // stopped while waiting
                }
                String bucket = fed.bucket();
                String batchId = fed.batch().batchId();
                int epoch = fed.epoch();
                StepResult result;
                try (fed; NDManager m = trainer.manager().newSubManager()) {
                    checkTokenizer(fed);
                    int[] lengths = fed.rowLengths();
                    if (Arrays.stream(lengths).allMatch(l -> l < 2)) {
                        LOG.warn("batch {} has no real target (every row length < 2); skipped", batchId);
                        position.trained(fed);
                        lineage.skipped(step + 1, fed);
                        continue;
                    }
                    int rows = fed.batch().rowCount();
                    int len = fed.batch().seqLen() + 1;
                    // Aliases Arrow's buffer (no copy); the step only reads it, before fed is closed.
                    NDArray window = m.create(fed.batch().tokenBuffer(), new Shape(rows, len), DataType.INT32); // (B, T+1)
                    if (trainer.model().config().dropout() > 0) {
                        // A dropout mask per step from (seed, step): a resumed run draws the masks an uninterrupted one does.
                        Engine.getInstance().setRandomSeed((int) SplitMix64.mix(settings.seed(), step));
                    }
                    result = trainer.step(window, lengths);
                    position.trained(fed);
                    lineage.trained(step + 1, fed, result.loss());
                }
                step++;
                stepsHere++;
                tokens += result.tokens();
                lastLoss = result.loss();
                curriculum.trained(bucket, result.tokens());
                meter.stepped(result.tokens());
                double left = settings.maxSteps() == 0 ? Double.NaN : (settings.maxSteps() - stepsHere) * meter.secondsPerStep();
                double tokensPerSecond = meter.tokensPerSecond();
                StepReport report = new StepReport(step, tokens, result.loss(), result.learningRate(), result.gradNorm(),
                        tokensPerSecond, meter.dataWaitFraction(), bucket, epoch, batchId, waited / 1e9,
                        result.elapsedNanos() / 1e9, peak.mfu(parameters, tokensPerSecond), curriculum.phase().name(), left);
                record(report, result);
                listener.onStep(report);
                if (step % settings.eventEvery() == 0) {
                    events.publish(new TrainEvent(settings.run(), TrainEvent.STEP, step, tokens, result.loss(), null,
                            System.currentTimeMillis()));
                }
                if (step % settings.checkpointEvery() == 0) {
                    checkpoint(events);
                    lastCheckpointStep = step;
                }
            }
            if (step != lastCheckpointStep) {
                checkpoint(events);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Mixtures received on the curriculum topic join the schedule from their step. */
    private void applyUpdates(UpdateSource updates) {
        for (UpdateSource.Received r : updates.drain()) {
            try {
                long from = curriculum.offer(r.update(), step, r.partition(), r.offsetAfter());
                LOG.info("curriculum update {} takes effect from step {}{}", r.update().weights(), from,
                        from > r.update().fromStep() ? " (it stated step " + r.update().fromStep() + ", already trained)" : "");
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring curriculum update {} from {}: {}", r.update(), r.partition(), e.getMessage());
            }
        }
    }

    /** The next batch of the bucket the curriculum draws for this step; null if stopped while waiting. */
    private FedBatch take(BatchSource feed) throws InterruptedException {
        boolean redrawOnDry = settings.curriculum().onDry() != DryPolicy.WAIT;
        String bucket = null;
        while (running) {
            if (bucket == null) {
                bucket = curriculum.pick(step, feed::isDry);
                if (bucket == null) {
                    if (!allDryWarned) {
                        LOG.warn("every bucket of the mixture in force is dry ({}); waiting for batches", curriculum.mixture(step));
                        allDryWarned = true;
                    }
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
            }
            FedBatch fed = feed.next(bucket, POLL);
            if (fed != null) {
                allDryWarned = false;
                return fed;
            }
            if (redrawOnDry && feed.isDry(bucket)) {
                bucket = null;
            }
        }
        return null;
    }

    private void checkTokenizer(FedBatch fed) {
        if (!tokenizer.equals(fed.batch().tokenizer())) {
            throw new IllegalStateException("batch " + fed.batch().batchId() + " was made by tokenizer " + fed.batch().tokenizer()
                    + " but this model trains on " + tokenizer);
        }
    }

    private void record(StepReport r, StepResult result) {
        String run = settings.run();
        metrics.steps.labelValues(run).inc();
        metrics.tokens.labelValues(run, r.bucket()).inc(result.tokens());
        metrics.loss.labelValues(run).set(r.loss());
        metrics.learningRate.labelValues(run).set(r.learningRate());
        metrics.gradNorm.labelValues(run).set(r.gradNorm());
        metrics.tokensPerSecond.labelValues(run).set(r.tokensPerSecond());
        metrics.stepSeconds.labelValues(run).observe(r.stepSeconds());
        metrics.dataWaitFraction.labelValues(run).set(r.dataWaitFraction());
        metrics.mfu.labelValues(run).set(r.mfu());
        metrics.phase.labelValues(run).set(curriculum.phaseIndex());
        curriculum.mixture(step).forEach((b, w) -> metrics.mixtureWeight.labelValues(run, b).set(w));
    }

    private void resume() {
        LoopCheckpoints.Resumed r = LoopCheckpoints.resume(store, trainer, tokenizer, modelDescription, curriculum);
        if (r != null) {
            resumedFrom = r.checkpoint();
            step = r.step();
            tokens = r.tokens();
            lastLoss = r.loss();
            position = r.position();
        }
    }

    private void checkpoint(TrainerIo.EventSink events) {
        CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.VERSION, settings.run(), step, tokens,
                LoopCheckpoints.offsetKeys(position), position.epochs(), tokenizer, modelDescription, settings.seed(),
                curriculum.state(), curriculum.rngState(), lastLoss, System.currentTimeMillis());
        Path dir = LoopCheckpoints.write(store, trainer, manifest);
        metrics.checkpoints.labelValues(settings.run()).inc();
        events.publish(new TrainEvent(settings.run(), TrainEvent.CHECKPOINT, step, tokens, lastLoss, dir.toString(),
                System.currentTimeMillis()));
        listener.onCheckpoint(dir, manifest);
    }

    /** The model configuration as a checkpoint records it. */
    public static Map<String, Object> modelDescription(GptConfig config) {
        return Json.MAPPER.convertValue(config, new TypeReference<Map<String, Object>>() { });
    }

    public static GptConfig modelConfig(CheckpointManifest manifest) {
        return Json.MAPPER.convertValue(manifest.model(), GptConfig.class);
    }

    public static Path parametersFile(Path checkpoint) {
        return LoopCheckpoints.parametersFile(checkpoint);
    }

    /** Steps done in the run's lineage (read from any thread). */
    public long step() {
        return step;
    }

    /** The curriculum of this loop (its state moves with the loop's thread). */
    public CurriculumScheduler curriculum() {
        return curriculum;
    }
}
