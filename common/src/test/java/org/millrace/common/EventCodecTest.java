package org.millrace.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void trainEventsRoundTripWithTheirCheckpointPath() {
        TrainEvent e = new TrainEvent("r1", TrainEvent.CHECKPOINT, 30, 15360, 3.3, "/data/checkpoints/r1/step-30", 17L);
        String json = new String(Json.write(e), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"checkpoint\":\"/data/checkpoints/r1/step-30\""), json);
        TrainEvent back = Json.read(json.getBytes(StandardCharsets.UTF_8), TrainEvent.class);
        assertEquals(e, back);
        assertTrue(back.announcesCheckpoint());
        assertFalse(new TrainEvent("r1", TrainEvent.STEP, 1, 1, 1, null, 1).announcesCheckpoint());
    }

    @Test
    void evalResultsRoundTripWithoutAStandardError() {
        EvalResult r = new EvalResult("r", "/c", 3, 4, "heldout", "loss", 2.5, null, 10, 5);
        String json = new String(Json.write(r), StandardCharsets.UTF_8);
        assertEquals(r, Json.read(json.getBytes(StandardCharsets.UTF_8), EvalResult.class));
    }
}
