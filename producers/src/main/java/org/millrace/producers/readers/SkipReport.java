package org.millrace.producers.readers;

import java.util.Objects;

/**
 * Something a reader could not turn into a document, and why; reading goes on after it.
 *
 * @param file   the file (or {@code archive!/entry}) that was skipped or held the bad record
 * @param record 1-based line or record number inside the file; 0 when the whole file is skipped
 * @param reason why, in words fit for a terminal and for the dead-letter topic
 */
public record SkipReport(String file, long record, String reason) {
    public SkipReport {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        if (record < 0) {
            throw new IllegalArgumentException("record must be >= 0 (got " + record + ")");
        }
    }

    @Override
    public String toString() {
        return record > 0 ? file + ":" + record + ": " + reason : file + ": " + reason;
    }
}
