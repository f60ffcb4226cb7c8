package org.millrace.producers.readers.internal;

import org.millrace.common.Document;
import org.millrace.producers.readers.SkipListener;
import org.millrace.producers.readers.SkipReport;

/**
 * Documents of a lazy sequence of cursors, one after the other. A child that fails with an
 * unexpected exception is reported and abandoned; the next child goes on.
 */
public abstract class ConcatCursor extends Cursor {
    private final SkipListener skips;
    private Cursor current;

    protected ConcatCursor(String label, SkipListener skips) {
        super(label);
        this.skips = skips;
    }

    /** The next child cursor, or null when there are no more. */
    protected abstract Cursor nextChild();

    @Override
    protected final Document advance() {
        while (true) {
            if (current == null) {
                current = nextChild();
                if (current == null) {
                    return null;
                }
            }
            try {
                if (current.hasNext()) {
                    return current.next();
                }
            } catch (RuntimeException e) {
                skips.skipped(new SkipReport(current.label(), 0, "reading stopped: " + describe(e)));
            }
            current.close();
            current = null;
        }
    }

    @Override
    protected void release() {
        if (current != null) {
            current.close();
        }
        releaseRest();
    }

    /** Releases what the sequence itself holds open. */
    protected void releaseRest() {
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
