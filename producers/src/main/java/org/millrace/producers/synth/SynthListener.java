package org.millrace.producers.synth;

/** What a synthetic-data run tells as it goes; the command line renders it. */
public interface SynthListener {
    SynthListener NONE = new SynthListener() { };

    /** Called about once a second. */
    default void progress(SynthStats soFar) {
    }

    /** A request is retried (teacher mode). */
    default void retried(long index, String reason) {
    }

    /** A prompt failed for good; the run goes on with the others (teacher mode). */
    default void failed(long index, String reason) {
    }

    default void finished(SynthStats total) {
    }
}
