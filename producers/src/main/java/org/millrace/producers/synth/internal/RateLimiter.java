package org.millrace.producers.synth.internal;

/**
 * Spaces request starts at least {@code 1/rate} seconds apart across threads. Hand-written because the
 * JDK has none and ten lines do not justify a dependency on Guava.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private long nextFree = System.nanoTime();

    public RateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("permits per second must be > 0 (got " + permitsPerSecond + ")");
        }
        this.intervalNanos = (long) (1e9 / permitsPerSecond);
    }

    /** Blocks until this caller may start; callers are served in the order they reserved a slot. */
    public void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextFree);
            nextFree = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
