package org.millrace.serving;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.millrace.common.Tokenizer;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptParameters;

/**
 * One checkpoint loaded for inference: the model, its tokenizer, and the names it is served under.
 * Every request that generates with it holds a lease ({@link #acquire()} / {@link #release()}); a
 * model that was replaced ({@link #retire()}) frees its native memory when the last lease is given
 * back, so requests in flight finish on the model they started with.
 */
public final class ServedModel {
    private final String id;
    private final CheckpointManifest manifest;
    private final Path checkpoint;
    private final Gpt gpt;
    private final Tokenizer tokenizer;
    private final NDManager manager;
    // one lease for being the current model, one per request generating with it
    private final AtomicInteger leases = new AtomicInteger(1);
    private volatile boolean retired;

    private ServedModel(CheckpointManifest manifest, Path checkpoint, Gpt gpt, Tokenizer tokenizer, NDManager manager) {
        this.id = idOf(manifest.run(), manifest.step());
        this.manifest = manifest;
        this.checkpoint = checkpoint;
        this.gpt = gpt;
        this.tokenizer = tokenizer;
        this.manager = manager;
    }

    /** The model id served for a run at a step, e.g. {@code default:step-120}. */
    public static String idOf(String run, long step) {
        return run + ":step-" + step;
    }

    /**
     * Loads a checkpoint directory (its manifest and {@code model.params}) onto {@code device}.
     *
     * @throws UncheckedIOException if the files cannot be read or do not match the manifest's model
     */
    public static ServedModel open(Path checkpoint, TokenizerLoader tokenizers, Device device) {
        CheckpointManifest manifest = CheckpointStore.readManifest(checkpoint);
        GptConfig config = TrainingLoop.modelConfig(manifest);
        Tokenizer tokenizer = tokenizers.load(manifest.tokenizer(), checkpoint);
        if (tokenizer.vocabSize() > config.vocabSize()) {
            throw new IllegalStateException("checkpoint " + checkpoint + ": tokenizer " + tokenizer.name() + " has "
                    + tokenizer.vocabSize() + " ids but the model only " + config.vocabSize());
        }
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Gpt gpt = GptParameters.open(config, manager, TrainingLoop.parametersFile(checkpoint));
            return new ServedModel(manifest, checkpoint, gpt, tokenizer, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot load checkpoint " + checkpoint + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    public String id() {
        return id;
    }

    public String run() {
        return manifest.run();
    }

    public long step() {
        return manifest.step();
    }

    public CheckpointManifest manifest() {
        return manifest;
    }

    public Path checkpoint() {
        return checkpoint;
    }

    /** Not thread-safe: only the generation worker runs it. */
    public Gpt gpt() {
        return gpt;
    }

    public GptConfig config() {
        return gpt.config();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The manager holding the parameters; generation opens sub-managers of it. */
    public NDManager manager() {
        return manager;
    }

    /** Takes a lease for one request; false if the model is already closed (retired with no lease left). */
    public boolean acquire() {
        while (true) {
            int n = leases.get();
            if (n == 0) {
                return false;
            }
            if (leases.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a lease taken by {@link #acquire()} or {@link ModelSlot#lease()}; the last one closes the model. */
    public void release() {
        if (leases.decrementAndGet() == 0) {
            manager.close();
        }
    }

    /** Called once when another model replaces this one, the server stops, or its owner (outside a slot) is done with it. */
    public void retire() {
        retired = true;
        release();
    }

    /** Whether another model replaced this one (requests that hold it still finish on it). */
    public boolean retired() {
        return retired;
    }

    /** Whether the native memory is still held (for tests and metrics). */
    public boolean isOpen() {
        return leases.get() > 0;
    }
}
