package org.millrace.producers.corpus.internal;

/** A source cannot be fetched: a tool or package is missing, a download failed. Its message says which. */
public final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
