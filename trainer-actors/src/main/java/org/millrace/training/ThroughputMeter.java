package org.millrace.training;

import java.util.ArrayDeque;

/**
 * Wall-clock throughput of the loop over its last steps (data waits, checkpoints and all), and the share of
 * the time spent waiting for batches since the loop started.
 */
final class ThroughputMeter {
    private static final int WINDOW = 20;

    private record Mark(long nanos, long tokens) {
    }

    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private final long started;
    private long tokens;
    private long waitNanos;

    ThroughputMeter() {
        started = System.nanoTime();
        marks.add(new Mark(started, 0));
    }

    void waited(long nanos) {
        waitNanos += nanos;
    }

    void stepped(long stepTokens) {
        tokens += stepTokens;
        marks.add(new Mark(System.nanoTime(), tokens));
        if (marks.size() > WINDOW + 1) {
            marks.removeFirst();
        }
    }

    /** Tokens per second over the last steps. */
    double tokensPerSecond() {
        Mark first = marks.getFirst();
        Mark last = marks.getLast();
        return last.nanos == first.nanos ? 0 : (last.tokens - first.tokens) * 1e9 / (last.nanos - first.nanos);
    }

    /** Mean wall time of the last steps. */
    double secondsPerStep() {
        Mark first = marks.getFirst();
        Mark last = marks.getLast();
        return marks.size() < 2 ? Double.NaN : (last.nanos - first.nanos) / 1e9 / (marks.size() - 1);
    }

    /** Share of the wall time since the start spent waiting for batches. */
    double dataWaitFraction() {
        long elapsed = System.nanoTime() - started;
        return elapsed <= 0 ? 0 : Math.min(1.0, (double) waitNanos / elapsed);
    }
}
