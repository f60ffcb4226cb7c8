package org.millrace.producers.readers;

/** Receives a report for every file, line or record a reader skips, as reading reaches it. */
@FunctionalInterface
public interface SkipListener {
    SkipListener IGNORE = report -> { };

    void skipped(SkipReport report);
}
