package org.millrace.training.diloco.internal;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.millrace.training.diloco.CoordinatorSnapshot;
import org.millrace.training.diloco.SnapshotStore;

/**
 * Runs the coordinator's {@link SnapshotStore} calls on a thread of their own (a store may block on the network
 * for seconds; the actor pipes the results back to itself and never blocks its dispatcher). One call at a time,
 * in the order asked, as the store expects.
 */
public final class SnapshotKeeper implements AutoCloseable {

    /** A snapshot written: its bytes, and the wall time the store took. */
    public record Saved(long bytes, long nanos) {
    }

    private final SnapshotStore store;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "millrace-diloco-snapshots");
        t.setDaemon(true);
        return t;
    });

    public SnapshotKeeper(SnapshotStore store) {
        this.store = store;
    }

    public String describe() {
        return store.describe();
    }

    public CompletableFuture<Optional<CoordinatorSnapshot>> load() {
        return CompletableFuture.supplyAsync(store::latest, io);
    }

    public CompletableFuture<Saved> save(CoordinatorSnapshot snapshot) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            long bytes = store.write(snapshot);
            return new Saved(bytes, System.nanoTime() - start);
        }, io);
    }

    /** Closes the store after the calls already asked for, without waiting for them. */
    @Override
    public void close() {
        io.execute(store::close);
        io.shutdown();
    }
}
