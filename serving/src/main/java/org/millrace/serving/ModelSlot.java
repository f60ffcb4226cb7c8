package org.millrace.serving;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, swapped atomically. A request leases the current model when it arrives and
 * keeps that model until it finishes, whatever is installed meanwhile; the replaced model is closed
 * when its last request gives its lease back.
 */
public final class ModelSlot implements AutoCloseable {
    private final AtomicReference<ServedModel> current = new AtomicReference<>();

    /** The current model, without a lease (for names and readiness). */
    public Optional<ServedModel> current() {
        return Optional.ofNullable(current.get());
    }

    /** The current model with a lease the caller must give back with {@link ServedModel#release()}. */
    public Optional<ServedModel> lease() {
        while (true) {
            ServedModel m = current.get();
            if (m == null) {
                return Optional.empty();
            }
            if (m.acquire()) {
                return Optional.of(m);
            }
            // retired and closed between the read and the lease: read the replacement
        }
    }

    /** Serves {@code model} from now on; the previous one is retired. */
    public void install(ServedModel model) {
        ServedModel previous = current.getAndSet(model);
        if (previous != null) {
            previous.retire();
        }
    }

    @Override
    public void close() {
        ServedModel previous = current.getAndSet(null);
        if (previous != null) {
            previous.retire();
        }
    }
}
