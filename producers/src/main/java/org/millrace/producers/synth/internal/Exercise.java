package org.millrace.producers.synth.internal;

import java.util.List;

/**
 * One exercise with a computed answer.
 *
 * @param question the problem as the reader sees it
 * @param steps    the worked solution, one step a line
 * @param answer   the final answer, computed (never invented)
 * @param code     a program the question is about (Python), or null
 * @param output   what {@code code} prints, computed here; null when there is no code
 */
public record Exercise(String question, List<String> steps, String answer, String code, String output) {
    public Exercise {
        steps = List.copyOf(steps);
    }

    public static Exercise of(String question, List<String> steps, String answer) {
        return new Exercise(question, steps, answer, null, null);
    }
}
