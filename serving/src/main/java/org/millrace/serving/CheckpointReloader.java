package org.millrace.serving;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.millrace.training.checkpoint.CheckpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads newer checkpoints in the background and swaps them into a {@link ModelSlot}. Loading runs on
 * its own thread while requests go on with the current model; announcements that arrive during a
 * load are folded into one more load of the newest. A checkpoint that is not newer (same run, lower
 * or equal step) than the one served is skipped; one that fails to load is logged and the current
 * model stays.
 */
public final class CheckpointReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointReloader.class);

    private final ModelSlot slot;
    private final TokenizerLoader tokenizers;
    private final Device device;
    private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "millrace-serving-loader");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Path> pending = new AtomicReference<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    public CheckpointReloader(ModelSlot slot, TokenizerLoader tokenizers, Device device) {
        this.slot = slot;
        this.tokenizers = tokenizers;
        this.device = device;
    }

    /** Loads a checkpoint on the calling thread and serves it (startup, or a named checkpoint). */
    public ServedModel loadNow(Path checkpoint) {
        ServedModel model = ServedModel.open(checkpoint, tokenizers, device);
        slot.install(model);
        loads.incrementAndGet();
        LOG.info("serving {} from {}", model.id(), checkpoint);
        return model;
    }

    /** Loads {@code checkpoint} in the background if it is newer than the model served. */
    public void offer(Path checkpoint) {
        if (pending.getAndSet(checkpoint) == null) {
            loader.execute(this::loadPending);
        }
    }

    /**
     * Looks for a newer checkpoint every {@code interval}: under {@code checkpointsDir/run}, or under
     * every run of {@code checkpointsDir} when {@code run} is null.
     */
    public void watch(Path checkpointsDir, String run, Duration interval) {
        loader.scheduleWithFixedDelay(() -> newest(checkpointsDir, run).ifPresent(this::offer),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Checkpoints loaded and swapped in so far. */
    public int loads() {
        return loads.get();
    }

    /** The message of the last load that failed, if any. */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /**
     * The newest complete checkpoint of {@code run} under {@code checkpointsDir}, or of any run (the
     * one whose manifest was written last) when {@code run} is null.
     */
    public static Optional<Path> newest(Path checkpointsDir, String run) {
        if (run != null) {
            return new CheckpointStore(checkpointsDir, run, 1).latest();
        }
        if (!Files.isDirectory(checkpointsDir)) {
            return Optional.empty();
        }
        try (Stream<Path> runs = Files.list(checkpointsDir)) {
            return runs.filter(Files::isDirectory)
                    .map(dir -> new CheckpointStore(checkpointsDir, dir.getFileName().toString(), 1).latest())
                    .flatMap(Optional::stream)
                    .max(Comparator.comparingLong(p -> CheckpointStore.readManifest(p).time()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints under " + checkpointsDir, e);
        }
    }

    private void loadPending() {
        Path checkpoint = pending.getAndSet(null);
        if (checkpoint == null) {
            return;
        }
        try {
            var manifest = CheckpointStore.readManifest(checkpoint);
            Optional<ServedModel> current = slot.current();
            if (current.isPresent() && current.get().run().equals(manifest.run()) && current.get().step() >= manifest.step()) {
                return;
            }
            loadNow(checkpoint);
        } catch (RuntimeException e) {
            lastFailure.set(e.getMessage());
            LOG.warn("not serving checkpoint {}: {}", checkpoint, e.getMessage());
        }
    }

    @Override
    public void close() {
        loader.shutdownNow();
        try {
            loader.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
