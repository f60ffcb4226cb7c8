package org.millrace.ops.cluster;

import java.time.Duration;

/**
 * Exponential backoff of a stream that is started again after each failure: min, 2·min, 4·min ... up to max.
 * A run that lasted at least {@code max} counts as healthy, and the failure after it starts the backoff at min
 * again, as Pekko's {@code RestartSource} resets its count after a run that outlived the backoff. Without the
 * reset, a node that lost its stream once a day would wait the maximum after every failure within weeks.
 * Not thread-safe: one restart chain calls it.
 */
final class RestartBackoff {
    private final Duration min;
    private final Duration max;
    private int failuresInARow;

    RestartBackoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("millrace.cluster.restart-backoff.min must be > 0 (got " + min + ")");
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("millrace.cluster.restart-backoff.max (" + max
                    + ") must not be below millrace.cluster.restart-backoff.min (" + min + ")");
        }
        this.min = min;
        this.max = max;
    }

    /** The delay before the next start, after a run that lasted {@code ran} and then failed. */
    Duration afterFailure(Duration ran) {
        if (ran.compareTo(max) >= 0) {
            failuresInARow = 0; // a healthy run: this failure is the first of a new series
        }
        failuresInARow++;
        long millis = min.toMillis() << Math.min(failuresInARow - 1, 20);
        return Duration.ofMillis(Math.min(max.toMillis(), millis));
    }
}
