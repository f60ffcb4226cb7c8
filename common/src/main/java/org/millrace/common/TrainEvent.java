package org.millrace.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A record on {@code millrace.train.events}: progress of a run and the checkpoints it writes.
 *
 * @param run        run id
 * @param type       {@code "step"} (progress) or {@code "checkpoint"} (a checkpoint was written)
 * @param step       optimizer steps done
 * @param tokens     training tokens seen
 * @param loss       training loss of the last step
 * @param checkpoint path of the checkpoint directory, for {@code checkpoint} events
 * @param time       epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainEvent(String run, String type, long step, long tokens, double loss, String checkpoint, long time) {
    public static final String STEP = "step";
    public static final String CHECKPOINT = "checkpoint";

    /** Whether this event announces a checkpoint (not named isCheckpoint: Jackson would take it for the field). */
    public boolean announcesCheckpoint() {
        return CHECKPOINT.equals(type);
    }
}
