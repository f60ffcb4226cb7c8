package org.millrace.common;

/**
 * A record that cannot be accepted as it is. Not retriable: the record goes to the dead-letter topic
 * with {@link #getMessage()} as its reason, and the stream goes on.
 */
public class InvalidRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String reason) {
        super(reason);
    }

    public InvalidRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
