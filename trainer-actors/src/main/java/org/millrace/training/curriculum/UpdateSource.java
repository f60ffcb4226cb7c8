package org.millrace.training.curriculum;

import java.util.List;
import org.millrace.common.CurriculumUpdate;

/** Where new mixtures come from: the curriculum topic, or nowhere. */
public interface UpdateSource extends AutoCloseable {

    /**
     * A mixture as received.
     *
     * @param update      the mixture
     * @param partition   {@code topic:partition} it was read from
     * @param offsetAfter the offset after its record
     */
    record Received(CurriculumUpdate update, String partition, long offsetAfter) {
    }

    /** Mixtures received since the last call, in arrival order. */
    List<Received> drain();

    /**
     * Waits until every mixture published before this source was opened has been received, so that a trainer
     * starts with them (a run does not depend on how fast the topic is read).
     *
     * @return false if that took longer than {@code timeout}
     */
    default boolean awaitCaughtUp(java.time.Duration timeout) throws InterruptedException {
        return true;
    }

    @Override
    void close();

    /** No live updates. */
    static UpdateSource none() {
        return new UpdateSource() {
            @Override
            public List<Received> drain() {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
    }
}
