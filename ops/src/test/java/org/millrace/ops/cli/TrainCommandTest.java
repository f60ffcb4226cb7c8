package org.millrace.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.millrace.training.TrainingLoop;

class TrainCommandTest {
    private static TrainingLoop.StepReport report(double secondsLeft) {
        return new TrainingLoop.StepReport(120, 245_760, 2.3114, 3e-4, 0.8, 9840.4, 0.002, "synthetic", 0, "b-1", 0.001, 0.2,
                0.041, "phi4-mixture", secondsLeft);
    }

    @Test
    void theStatusLineShowsStepLossThroughputAndTimeLeft() {
        String line = TrainCommand.statusLine(report(31.4), 500);
        assertTrue(line.startsWith("step 120 · loss 2.311 · 9840 tok/s · 0:31 left"), line);
        assertTrue(line.contains("data-wait 0.2%") && line.contains("MFU 4.1%") && line.contains("phi4-mixture"), line);
        assertFalse(TrainCommand.statusLine(report(Double.NaN), 0).contains("left"), "no time left without max-steps");
    }

    @Test
    void longDurationsShowHours() {
        assertEquals("1:01:05", TrainCommand.duration(3665));
        assertEquals("0:09", TrainCommand.duration(9.4));
    }
}
