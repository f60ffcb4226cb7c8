package org.millrace.producers.synth;

import java.time.Duration;
import java.util.Locale;

/**
 * Counts of a synthetic-data run, so far or at its end.
 *
 * @param requested  documents asked for (prompts sent, in teacher mode)
 * @param published  documents handed to the sink
 * @param duplicates generations dropped as duplicates of an earlier one
 * @param failed     prompts that failed for good (after retries)
 * @param retries    retried requests (429, 5xx, timeouts)
 * @param bytes      UTF-8 bytes of published text
 * @param elapsed    time since the run started
 */
public record SynthStats(long requested, long published, long duplicates, long failed, long retries, long bytes, Duration elapsed) {

    public double documentsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s > 0 ? published / s : 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,d published (%.1f MB), %,d duplicates, %,d failed, %,d retries of %,d requested in %.1f s (%,.0f docs/s)",
                published, bytes / 1e6, duplicates, failed, retries, requested, elapsed.toNanos() / 1e9, documentsPerSecond());
    }
}
