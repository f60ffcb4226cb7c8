package org.millrace.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.millrace.common.Json;
import org.millrace.common.Topics;
import org.millrace.common.TrainEvent;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.feed.BatchFeed;
import org.millrace.training.feed.FedBatch;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.model.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop of one trainer: batches from the feed, one optimizer step each, checkpoints with
 * the feed's offsets, events to Kafka. Runs on its own thread (never an actor dispatcher's).
 *
 * <p>Exactly-once per checkpoint lineage: a checkpoint records, per batch partition, the offset after
 * the last batch trained on; a restarted loop loads the newest checkpoint and the feed seeks there.
 */
public final class TrainingLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    private static final String PARAMETERS = "model.params";
    private static final String OPTIMIZER = "optimizer.bin";

    /** What the loop reports while it runs. */
    public interface Listener {
        void onStep(StepReport report);

        void onCheckpoint(Path checkpoint, CheckpointManifest manifest);
    }

    /** One step's figures for progress displays. */
    public record StepReport(long step, long tokens, double loss, double learningRate, double gradNorm,
                             double tokensPerSecond, double dataWaitFraction, String bucket, int epoch) {
    }

    private final TrainerSettings settings;
    private final GptTrainer trainer;
    private final String tokenizer;
    private final Topics topics;
    private final Map<String, Object> kafka;
    private final CheckpointStore store;
    private final Listener listener;
    private final TrainerMetrics metrics = TrainerMetrics.INSTANCE;
    private final Map<TopicPartition, Long> offsets = new HashMap<>();
    private volatile boolean running = true;
    private long step;
    private long tokens;
    private int epoch;
    private double lastLoss = Double.NaN;

    public TrainingLoop(TrainerSettings settings, GptTrainer trainer, String tokenizer, Topics topics,
                        Map<String, Object> kafka, Path checkpointsDir, Listener listener) {
        this.settings = settings;
        this.trainer = trainer;
        this.tokenizer = tokenizer;
        this.topics = topics;
        this.kafka = kafka;
        this.store = new CheckpointStore(checkpointsDir, settings.run(), settings.keepCheckpoints());
        this.listener = listener;
        metrics.initRun(settings.run());
    }

    /** Asks the loop to stop after the current step; it writes a last checkpoint. */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        resume();
        long stepsHere = 0;
        double waitNanos = 0;
        double busyNanos = 0;
        try (BatchFeed feed = new BatchFeed(kafka, topics.batchTopics(), offsets, epoch, settings.prefetch(),
                settings.onDry(), settings.dryWait());
             TrainEventPublisher events = new TrainEventPublisher(kafka, topics.trainEvents())) {
            long lastCheckpointStep = step;
            while (running && (settings.maxSteps() == 0 || stepsHere < settings.maxSteps())) {
                long waitStart = System.nanoTime();
                FedBatch fed = feed.next(Duration.ofMillis(200));
                long waited = System.nanoTime() - waitStart;
                waitNanos += waited;
                metrics.dataWaitSeconds.labelValues(settings.run()).inc(waited / 1e9);
                if (fed == null) {
                    continue;
                }
                StepResult result;
                String bucket;
                try (fed; NDManager m = trainer.manager().newSubManager()) {
                    bucket = fed.batch().bucket();
                    checkTokenizer(fed);
                    int rows = fed.batch().rowCount();
                    int len = fed.batch().seqLen() + 1;
                    // Aliases Arrow's buffer (no copy); the step only reads it, before fed is closed.
                    NDArray window = m.create(fed.batch().tokenBuffer(), new Shape(rows, len), DataType.INT32); // (B, T+1)
                    result = trainer.step(window);
                    offsets.put(fed.partition(), fed.offset() + 1);
                    epoch = Math.max(epoch, fed.epoch());
                }
                busyNanos += result.elapsedNanos();
                step++;
                stepsHere++;
                tokens += result.tokens();
                lastLoss = result.loss();
                record(result, bucket);
                double waitFraction = waitNanos / Math.max(1, waitNanos + busyNanos);
                listener.onStep(new StepReport(step, tokens, result.loss(), result.learningRate(), result.gradNorm(),
                        result.tokensPerSecond(), waitFraction, bucket, epoch));
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

    private void checkTokenizer(FedBatch fed) {
        if (!tokenizer.equals(fed.batch().tokenizer())) {
            throw new IllegalStateException("batch " + fed.batch().batchId() + " was made by tokenizer " + fed.batch().tokenizer()
                    + " but this model trains on " + tokenizer);
        }
    }

    private void record(StepResult result, String bucket) {
        String run = settings.run();
        metrics.steps.labelValues(run).inc();
        metrics.tokens.labelValues(run, bucket).inc(result.tokens());
        metrics.loss.labelValues(run).set(result.loss());
        metrics.learningRate.labelValues(run).set(result.learningRate());
        metrics.gradNorm.labelValues(run).set(result.gradNorm());
        metrics.tokensPerSecond.labelValues(run).set(result.tokensPerSecond());
        metrics.stepSeconds.labelValues(run).observe(result.elapsedNanos() / 1e9);
    }

    private void resume() {
        Optional<Path> latest = store.latest();
        if (latest.isEmpty()) {
            return;
        }
        Path dir = latest.get();
        CheckpointManifest m = CheckpointStore.readManifest(dir);
        Map<String, Object> expected = modelDescription(trainer.model().config());
        if (!m.model().equals(expected)) {
            throw new IllegalStateException("checkpoint " + dir + " was made with model " + m.model()
                    + ", this trainer is configured for " + expected);
        }
        if (!m.tokenizer().equals(tokenizer)) {
            throw new IllegalStateException("checkpoint " + dir + " was made with tokenizer " + m.tokenizer()
                    + ", this trainer uses " + tokenizer);
        }
        try {
            trainer.loadParameters(dir.resolve(PARAMETERS));
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER))))) {
                trainer.optimizer().readState(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load checkpoint " + dir + ": " + e.getMessage(), e);
        }
        trainer.resumeAt(m.step());
        step = m.step();
        tokens = m.tokens();
        epoch = m.epoch();
        lastLoss = m.loss();
        offsets.putAll(m.partitionOffsets());
        LOG.info("resumed run {} from {} (step {}, {} tokens)", settings.run(), dir, step, tokens);
    }

    private void checkpoint(TrainEventPublisher events) {
        Map<String, Long> offs = new HashMap<>();
        offsets.forEach((tp, o) -> offs.put(CheckpointManifest.key(tp), o));
        CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.VERSION, settings.run(), step, tokens, epoch,
                offs, tokenizer, modelDescription(trainer.model().config()), settings.seed() + step, lastLoss,
                System.currentTimeMillis());
        Path dir = store.write(manifest, tmp -> {
            trainer.saveParameters(tmp.resolve(PARAMETERS));
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve(OPTIMIZER))))) {
                trainer.optimizer().writeState(out);
            }
        });
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
        return checkpoint.resolve(PARAMETERS);
    }

    public long step() {
        return step;
    }
}
