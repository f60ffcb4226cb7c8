package org.millrace.ops.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
    private static final Duration QUICK = Duration.ofMillis(10);

    @Test
    void failuresInARowDoubleTheDelayUpToTheMaximum() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        long[] delays = new long[8];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = backoff.afterFailure(QUICK).toSeconds();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {1, 2, 4, 8, 16, 30, 30, 30}, delays);
    }

    @Test
    void aRunThatOutlivedTheMaximumStartsTheSeriesAgain() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        for (int i = 0; i < 6; i++) {
            backoff.afterFailure(QUICK);
        }
        assertEquals(Duration.ofSeconds(30), backoff.afterFailure(Duration.ofSeconds(29)), "a short run is not healthy");
        assertEquals(Duration.ofSeconds(1), backoff.afterFailure(Duration.ofSeconds(30)), "a run of max is healthy");
        assertEquals(Duration.ofSeconds(2), backoff.afterFailure(QUICK));
    }

    @Test
    void manyFailuresNeitherOverflowNorGoBelowTheMinimum() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(1500), Duration.ofDays(365));
        Duration last = Duration.ZERO;
        for (int i = 0; i < 200; i++) {
            Duration d = backoff.afterFailure(QUICK);
            assertTrue(d.compareTo(last) >= 0 && d.compareTo(Duration.ofDays(365)) <= 0, "delay " + i + " was " + d);
            last = d;
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("millrace.cluster.restart-backoff.max"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
