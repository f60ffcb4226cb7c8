package org.millrace.producers.readers.internal;

import java.io.Closeable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.millrace.common.Document;

/**
 * A lazy, single-pass iterator of documents over one input. Hand-written rather than built with
 * {@code Stream.flatMap}, because a flat-mapped stream pulled through its iterator buffers a whole
 * inner stream (a WARC file with every record in memory); cursors hold one document at a time.
 */
public abstract class Cursor implements Iterator<Document>, Closeable {
    private final String label;
    private Document next;
    private boolean finished;
    private boolean closed;

    /** @param label the file or directory read, for skip reports */
    protected Cursor(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The next document, or null when the input is exhausted. Problems are reported, not thrown. */
    protected abstract Document advance();

    /** Releases open files; called once, at the end or on close. */
    protected void release() {
    }

    @Override
    public final boolean hasNext() {
        if (next == null && !finished) {
            next = advance();
            if (next == null) {
                finished = true;
                close();
            }
        }
        return next != null;
    }

    @Override
    public final Document next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more documents in " + label);
        }
        Document d = next;
        next = null;
        return d;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            finished = true;
            release();
        }
    }

    public Stream<Document> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::close);
    }

    /** A cursor over nothing (a skipped file). */
    public static Cursor empty(String label) {
        return new Cursor(label) {
            @Override
            protected Document advance() {
                return null;
            }
        };
    }
}
