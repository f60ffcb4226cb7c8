package org.millrace.producers;

import java.time.Duration;

/**
 * Counts of an ingestion, so far or at its end.
 *
 * @param documents documents handed to the sink
 * @param bytes     UTF-8 bytes of their text
 * @param skipped   files, lines and records reported and skipped
 * @param elapsed   time since the ingestion started
 * @param readingCpu CPU time of the threads that read, encoded and handed the documents to the sink (the
 *                  producer's network thread and a broker not included); in a parallel ingestion, of the
 *                  parts finished so far
 */
public record IngestStats(long documents, long bytes, long skipped, Duration elapsed, Duration readingCpu) {

    public IngestStats(long documents, long bytes, long skipped, Duration elapsed) {
        this(documents, bytes, skipped, elapsed, Duration.ZERO);
    }

    public double documentsPerSecond() {
        double s = seconds();
        return s > 0 ? documents / s : 0;
    }

    /** Megabytes (10^6 bytes) of text per second. */
    public double megabytesPerSecond() {
        double s = seconds();
        return s > 0 ? bytes / 1e6 / s : 0;
    }

    private double seconds() {
        return elapsed.toNanos() / 1e9;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%,d documents, %.1f MB, %,d skipped in %.1f s (%,.0f docs/s, %.1f MB/s)",
                documents, bytes / 1e6, skipped, seconds(), documentsPerSecond(), megabytesPerSecond());
    }
}
