package org.millrace.producers.synth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/** A kind of textbook section the programmatic generator writes: a title, a short text, and exercises. */
public interface Lesson {
    /** Name recorded in each document's metadata ({@code lesson}). */
    String name();

    /** Writes one section with the given randomness; the same state gives the same section. */
    Section write(SplittableRandom random);

    /**
     * A section of {@code min}..{@code max} exercises, each of a kind drawn from {@code kinds}, under a title and an
     * introduction drawn from theirs. The draws come in this order: the count, each exercise's kind and its own
     * draws, the title, the introduction; a generator's output for a seed depends on it.
     */
    static Section drawSection(SplittableRandom r, int min, int max, List<Function<SplittableRandom, Exercise>> kinds,
                               List<String> titles, List<String> intros, String topic) {
        int n = Vocabulary.between(r, min, max);
        List<Exercise> exercises = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            exercises.add(Vocabulary.one(r, kinds).apply(r));
        }
        return new Section(Vocabulary.one(r, titles), Vocabulary.one(r, intros), topic, exercises);
    }
}
