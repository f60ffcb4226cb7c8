package org.millrace.training.optim;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateScheduleTest {

    private static final double MAX = 1e-3;
    private static final double MIN = 1e-4;
    private final LearningRateSchedule schedule = new LearningRateSchedule(MAX, MIN, 10, 110);

    @Test
    void warmsUpLinearlyToThePeak() {
        assertEquals(MAX / 10, schedule.at(0), 1e-15);
        assertEquals(MAX * 5 / 10, schedule.at(4), 1e-15);
        assertEquals(MAX, schedule.at(9), 1e-15);
    }

    @Test
    void decaysAlongACosineToTheFloor() {
        assertEquals(MAX, schedule.at(10), 1e-15);
        assertEquals((MAX + MIN) / 2, schedule.at(60), 1e-12);
        assertEquals(MIN + (MAX - MIN) * 0.5 * (1 + Math.cos(Math.PI * 0.25)), schedule.at(35), 1e-12);
        assertEquals(MIN, schedule.at(110), 1e-15);
        assertEquals(MIN, schedule.at(1_000_000), 0.0);
        for (long s = 10; s < 110; s++) {
            assertTrue(schedule.at(s + 1) <= schedule.at(s), "monotone after warm-up at " + s);
        }
    }

    @Test
    void openEndedScheduleStaysAtThePeak() {
        LearningRateSchedule open = new LearningRateSchedule(MAX, MIN, 5, 0);
        assertEquals(MAX, open.at(5), 0.0);
        assertEquals(MAX, open.at(10_000_000), 0.0);
        assertEquals(MAX, LearningRateSchedule.constant(MAX).at(0), 0.0);
    }

    @Test
    void settingsAreValidatedByName() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(MAX, MIN, 10, 10));
        assertTrue(e.getMessage().startsWith("millrace.optim.decay-end-step"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(MAX, 2 * MAX, 10, 100));
        assertTrue(e.getMessage().startsWith("millrace.optim.min-learning-rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 10, 100));
        assertTrue(e.getMessage().startsWith("millrace.optim.learning-rate"), e.getMessage());
    }

    @Test
    void referenceConfigurationReads() {
        OptimizerSettings settings = OptimizerSettings.fromConfig(ConfigFactory.defaultReference());
        assertEquals(6e-4, settings.schedule().maxLearningRate(), 0.0);
        assertEquals(0.95, settings.adamW().beta2(), 0.0);
        assertEquals(1.0, settings.gradClip(), 0.0);
        Exception e = assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.fromConfig(
                ConfigFactory.parseString("millrace.optim.micro-batch-size = -1")
                        .withFallback(ConfigFactory.defaultReference())));
        assertTrue(e.getMessage().startsWith("millrace.optim.micro-batch-size"), e.getMessage());
    }
}
