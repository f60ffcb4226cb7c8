package org.millrace.producers.synth.internal;

import java.util.SplittableRandom;

/** A kind of textbook section the programmatic generator writes: a title, a short text, and exercises. */
public interface Lesson {
    /** Name recorded in each document's metadata ({@code lesson}). */
    String name();

    /** Writes one section with the given randomness; the same state gives the same section. */
    Section write(SplittableRandom random);
}
