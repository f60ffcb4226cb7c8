package org.millrace.training.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.typesafe.config.Config;
import org.millrace.training.optim.AdamW;
import org.millrace.training.optim.Autograd;
import org.millrace.training.optim.GradientClipping;
import org.millrace.training.optim.OptimizerSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns a {@link Gpt} and its AdamW optimizer, and trains them one step per batch of token
 * windows: forward and backward per micro-batch (gradients accumulate), clip by global norm, one
 * AdamW update at the scheduled learning rate.
 *
 * <p>Every array a step creates lives in a manager opened for that step (one per micro-batch
 * inside it) and is freed before {@link #step} returns, so native memory stays flat. The caller's
 * token arrays are only read. Not thread-safe: one trainer, one thread at a time (any thread).
 */
public final class GptTrainer implements AutoCloseable {

    private final Model model;
    private final Gpt gpt;
    private final AdamW optimizer;
    private final OptimizerSettings settings;
    private final Device device;
    private long stepCount;

    private GptTrainer(GptConfig config, OptimizerSettings settings, ComputeSettings compute) {
        compute.applyThreads();
        this.settings = settings;
        this.device = compute.resolveDevice();
        if (config.dropout() > 0) {
            Engine.getInstance().setRandomSeed((int) compute.seed()); // dropout masks use the engine's RNG
        }
        this.model = Model.newInstance("millrace-gpt", device, "PyTorch");
        this.gpt = new Gpt(config);
        model.setBlock(gpt);
        gpt.initialize(model.getNDManager(), compute.seed());
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : gpt.getParameters()) {
            parameters.put(p.getKey(), p.getValue());
        }
        this.optimizer = new AdamW(settings.adamW(), parameters, gpt::isWeightDecayed, model.getNDManager());
    }

    /** A freshly initialised model of shape {@code config}. */
    public static GptTrainer create(GptConfig config, OptimizerSettings settings, ComputeSettings compute) {
        return new GptTrainer(config, settings, compute);
    }

    /**
     * A freshly initialised model from {@code millrace.model} and {@code millrace.optim}.
     *
     * @param config the root configuration
     * @param tokenizerVocabSize number of ids the tokenizer produces
     */
    public static GptTrainer fromConfig(Config config, int tokenizerVocabSize) {
        return create(GptConfig.fromConfig(config, tokenizerVocabSize), OptimizerSettings.fromConfig(config),
                ComputeSettings.fromConfig(config));
    }

    /**
     * One optimizer step on a batch of windows, split into micro-batches of
     * {@code millrace.optim.micro-batch-size} rows.
     *
     * @param tokens (B, T+1) int32 or int64 token ids: inputs {@code [:, :-1]}, targets {@code [:, 1:]}
     */
    public StepResult step(NDArray tokens) {
        return step(tokens, null);
    }

    /**
     * One optimizer step on a batch of packed rows whose ends may be padding: row {@code r} holds
     * {@code rowLengths[r]} real tokens and is trained on its first {@code rowLengths[r] − 1}
     * targets only (see {@link Gpt#loss(NDArray, NDArray, boolean)}). The step's token count, and
     * the weight of each micro-batch, are real predictions only.
     *
     * @param tokens (B, T+1) int32 or int64 token ids
     * @param rowLengths B real-token counts in [1, T+1], or null when every row is full
     * @throws IllegalArgumentException if the lengths do not fit or no row has a real target
     */
    public StepResult step(NDArray tokens, int[] rowLengths) {
        Shape shape = windowShape(tokens);
        long rows = shape.get(0);
        int width = Math.toIntExact(shape.get(1));
        if (rowLengths != null) {
            checkLengths(rowLengths, rows, width);
        }
        long micro = settings.microBatchSize() == 0 ? rows : settings.microBatchSize();
        List<MicroBatch> microBatches = new ArrayList<>();
        for (long start = 0; start < rows; start += micro) {
            long end = Math.min(rows, start + micro);
            NDIndex slice = new NDIndex("{}:{}", start, end);
            int[] lengths = rowLengths == null ? null : Arrays.copyOfRange(rowLengths, (int) start, (int) end);
            long predictions = lengths == null ? (end - start) * (width - 1)
                    : Arrays.stream(lengths).mapToLong(l -> l - 1).sum();
            if (predictions > 0) {
                microBatches.add(new MicroBatch(predictions, manager -> tokens.get(manager, slice), lengths)); // (b, T+1)
            }
        }
        if (microBatches.isEmpty()) {
            throw new IllegalArgumentException("no row of the batch has a real target (every row length is 1)");
        }
        return run(microBatches);
    }

    private static void checkLengths(int[] rowLengths, long rows, int width) {
        if (rowLengths.length != rows) {
            throw new IllegalArgumentException("row lengths name " + rowLengths.length + " rows, the batch has " + rows);
        }
        for (int r = 0; r < rowLengths.length; r++) {
            if (rowLengths[r] < 1 || rowLengths[r] > width) {
                throw new IllegalArgumentException("row " + r + " has length " + rowLengths[r] + ", outside [1, " + width + "]");
            }
        }
    }

    /**
     * One optimizer step accumulating gradients over several windows, e.g. consecutive batches
     * of a feed; each is one micro-batch, weighted by its token count.
     *
     * @param windows each (b_i, T_i+1) token ids
     */
    public StepResult step(List<NDArray> windows) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one token window");
        }
        List<MicroBatch> microBatches = new ArrayList<>();
        for (NDArray w : windows) {
            Shape shape = windowShape(w);
            microBatches.add(new MicroBatch(shape.get(0) * (shape.get(1) - 1), manager -> {
                manager.tempAttachAll(w); // derived arrays land in the micro-batch manager; w goes back
                return w;
            }, null));
        }
        return run(microBatches);
    }

    /** Rows of one forward/backward pass; {@code lengths} null when every row is full. */
    private record MicroBatch(long tokens, java.util.function.Function<NDManager, NDArray> window, int[] lengths) {}

    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    private StepResult run(List<MicroBatch> microBatches) {
        long started = System.nanoTime();
        long tokens = microBatches.stream().mapToLong(MicroBatch::tokens).sum();
        double learningRate = settings.schedule().at(stepCount);
        double loss = 0.0;
        try {
            try (Autograd.Scope ignored = Autograd.enabled()) {
                for (MicroBatch mb : microBatches) {
                    try (NDManager microManager = model.getNDManager().newSubManager(device)) {
                        NDArray window = mb.window().apply(microManager).toDevice(device, false); // (b, T+1)
                        double weight = (double) mb.tokens() / tokens;
                        NDArray microLoss = mb.lengths() == null ? gpt.loss(window, true)  // ()
                                : gpt.loss(window, microManager.create(mb.lengths()).toDevice(device, false), true);
                        Autograd.backward(microLoss.mul(weight));
                        loss += weight * microLoss.getFloat();
                    }
                }
            }
            double gradNorm = GradientClipping.clipByGlobalNorm(optimizer.parameters(), settings.gradClip());
            boolean finite = Double.isFinite(loss) && Double.isFinite(gradNorm);
            if (finite) {
                optimizer.step(learningRate);
            } else {
                optimizer.zeroGradients();
            }
            return new StepResult(stepCount++, loss, gradNorm, learningRate, tokens, finite,
                    System.nanoTime() - started);
        } catch (RuntimeException e) {
            optimizer.zeroGradients(); // a half-accumulated gradient must not leak into the next step
            throw e;
        }
    }

    private Shape windowShape(NDArray tokens) {
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2 || shape.get(0) < 1 || shape.get(1) < 2) {
            throw new IllegalArgumentException("a token window must be (B, T+1) with B ≥ 1, T ≥ 1 (got " + shape + ")");
        }
        if (shape.get(1) - 1 > gpt.config().contextLength()) {
            throw new IllegalArgumentException("windows of " + (shape.get(1) - 1)
                    + " tokens exceed millrace.model.context-length " + gpt.config().contextLength());
        }
        return shape;
    }

    /** The model being trained (its parameters live in {@link #manager()}). */
    public Gpt model() {
        return gpt;
    }

    /** The optimizer, e.g. to write or read its state in a checkpoint. */
    public AdamW optimizer() {
        return optimizer;
    }

    /** The manager owning the parameters; create inference arrays in a sub-manager of it. */
    public NDManager manager() {
        return model.getNDManager();
    }

    /** The device the model computes on. */
    public Device device() {
        return device;
    }

    /** Steps taken so far; the next step takes its learning rate at this index. */
    public long stepCount() {
        return stepCount;
    }

    /** Sets the step counter, when resuming from a checkpoint written at that step. */
    public void resumeAt(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative (got " + step + ")");
        }
        stepCount = step;
    }

    /** Writes the parameters to {@code file} (atomically). */
    public void saveParameters(Path file) throws IOException {
        GptParameters.save(gpt, file);
    }

    /** Replaces the parameters with those in {@code file}; the optimizer state is not touched. */
    public void loadParameters(Path file) throws IOException {
        GptParameters.load(gpt, model.getNDManager(), file);
    }

    /** Frees the parameters, the optimizer state and the engine resources of the model. */
    @Override
    public void close() {
        optimizer.close();
        model.close();
    }
}
