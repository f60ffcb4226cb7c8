package org.millrace.producers.synth.internal;

import java.util.List;

/**
 * One generated textbook section.
 *
 * @param title     heading of the section
 * @param intro     explanation before the exercises
 * @param topic     what it teaches, for metadata (e.g. "unit conversion: length")
 * @param exercises the exercises, the first shown as a worked example
 */
public record Section(String title, String intro, String topic, List<Exercise> exercises) {
    public Section {
        exercises = List.copyOf(exercises);
        if (exercises.isEmpty()) {
            throw new IllegalArgumentException("a section needs at least one exercise");
        }
    }
}
