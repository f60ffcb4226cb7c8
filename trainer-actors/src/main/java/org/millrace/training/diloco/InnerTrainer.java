package org.millrace.training.diloco;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.SplitMix64;
import org.millrace.training.diloco.internal.ParameterVector;
import org.millrace.training.diloco.internal.WorkerCheckpoint;
import org.millrace.training.feed.BatchSource;
import org.millrace.training.feed.FedBatch;
import org.millrace.training.feed.FeedPosition;
import org.millrace.training.feed.FeedStart;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.model.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute of one DiLoCo worker: its model and inner AdamW ({@link GptTrainer}), its share of the batches
 * (drawn by its own curriculum), and its checkpoint (feed offsets, inner optimizer, curriculum; the parameters
 * come from the coordinator). Confined to one thread at a time: the worker actor runs it on its own executor.
 */
public final class InnerTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InnerTrainer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * What one round of H inner steps did.
     *
     * @param before    θ the round started from
     * @param after     θ after the round's inner steps
     * @param steps     inner steps taken (H)
     * @param tokens    tokens trained on in the round
     * @param meanLoss  mean training loss over the round's steps
     */
    public record Round(float[] before, float[] after, int steps, long tokens, double meanLoss) {
        /** θ_after − θ_before, the parameter change the coordinator averages. */
        public float[] delta() {
            float[] d = after.clone();
            for (int i = 0; i < d.length; i++) {
                d[i] -= before[i];
            }
            return d;
        }
    }

    private final String workerId;
    private final GptTrainer trainer;
    private final Function<FeedStart, BatchSource> feeds;
    private final CurriculumScheduler curriculum;
    private final WorkerCheckpoint checkpoints;
    private final ParameterVector vector;
    private FeedPosition position = new FeedPosition(FeedStart.beginning());
    private BatchSource feed;
    private long steps;
    private long tokens;
    private volatile boolean running = true;

    /**
     * @param workerId      the worker's stable id (names its checkpoint)
     * @param trainer       model and inner AdamW; owned (closed) by this trainer from now on
     * @param feeds         opens the worker's share of the batches from a position (a {@code BatchFeed} on the worker's
     *                      {@code PartitionShare})
     * @param curriculum    draws the bucket of each inner step
     * @param checkpointDir where the worker's checkpoint lives, or null for none
     */
    public InnerTrainer(String workerId, GptTrainer trainer, Function<FeedStart, BatchSource> feeds,
                        CurriculumScheduler curriculum, Path checkpointDir) {
        this.workerId = workerId;
        this.trainer = trainer;
        this.feeds = feeds;
        this.curriculum = curriculum;
        this.vector = new ParameterVector(trainer.model());
        this.checkpoints = checkpointDir == null ? null : new WorkerCheckpoint(checkpointDir.resolve(workerId));
    }

    public String workerId() {
        return workerId;
    }

    /** Number of parameters (the length of every vector this trainer reads or writes). */
    public int parameterCount() {
        return vector.size();
    }

    /** A copy of the current parameters. */
    public float[] parameters() {
        return vector.read();
    }

    /** Replaces the parameters (the inner optimizer's moments stay). */
    public void load(float[] parameters) {
        vector.write(parameters, trainer.manager());
    }

    /** Inner steps taken in this worker's lineage. */
    public long steps() {
        return steps;
    }

    /** Asks a running {@link #train} to return early (it then returns null). */
    public void stop() {
        running = false;
    }

    /**
     * H inner steps from the current parameters.
     *
     * @return the round, or null if stopped before it was complete
     */
    public Round train(int innerSteps) throws InterruptedException {
        if (feed == null) {
            resume();
            feed = feeds.apply(position.start());
        }
        float[] before = vector.read();
        long roundTokens = 0;
        double lossSum = 0;
        int taken = 0;
        while (taken < innerSteps) {
            FedBatch fed = take();
            if (fed == null) {
                return null;
            }
            String bucket = fed.bucket();
            StepResult result;
            try (fed; NDManager m = trainer.manager().newSubManager()) {
                int[] lengths = fed.rowLengths();
                if (Arrays.stream(lengths).allMatch(l -> l < 2)) {
                    position.trained(fed); // no real target: nothing to learn
                    continue;
                }
                int rows = fed.batch().rowCount();
                int len = fed.batch().seqLen() + 1;
                // Aliases Arrow's buffer (no copy); the step only reads it, before fed is closed.
                NDArray window = m.create(fed.batch().tokenBuffer(), new Shape(rows, len), DataType.INT32); // (B, T+1)
                if (trainer.model().config().dropout() > 0) {
                    Engine.getInstance().setRandomSeed((int) SplitMix64.mix(curriculum.seed(), steps));
                }
                result = trainer.step(window, lengths);
                position.trained(fed);
            }
            steps++;
            taken++;
            tokens += result.tokens();
            roundTokens += result.tokens();
            lossSum += result.loss();
            curriculum.trained(bucket, result.tokens());
        }
        return new Round(before, vector.read(), taken, roundTokens, lossSum / taken);
    }

    /** The next batch of the bucket the curriculum draws; null if stopped while waiting. */
    private FedBatch take() throws InterruptedException {
        String bucket = null;
        while (running) {
            if (bucket == null) {
                bucket = curriculum.pick(steps, feed::isDry);
                if (bucket == null) {
                    Thread.sleep(POLL.toMillis()); // every bucket is dry: wait for batches
                    continue;
                }
            }
            FedBatch fed = feed.next(bucket, POLL);
            if (fed != null) {
                return fed;
            }
            if (feed.isDry(bucket)) {
                bucket = null;
            }
        }
        return null;
    }

    /** Writes the worker's checkpoint (no-op without a checkpoint directory). */
    public void checkpoint(long round) {
        if (checkpoints != null) {
            checkpoints.write(WorkerCheckpoint.State.of(workerId, round, steps, tokens, position.offsets(), position.epochs(),
                    curriculum.state(), curriculum.rngState()), trainer.optimizer());
        }
    }

    private void resume() {
        if (checkpoints == null) {
            return;
        }
        WorkerCheckpoint.State state = checkpoints.read(trainer.optimizer());
        if (state != null) {
            steps = state.steps();
            tokens = state.tokens();
            trainer.resumeAt(state.steps());
            position = new FeedPosition(state.feedStart());
            curriculum.restore(state.curriculum(), state.rng());
            LOG.info("DiLoCo worker {} resumes after round {} at inner step {}", workerId, state.round(), state.steps());
        }
    }

    @Override
    public void close() {
        running = false;
        if (feed != null) {
            feed.close();
        }
        trainer.close();
    }
}
