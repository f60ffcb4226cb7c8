package org.millrace.training.diloco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.common.Json;

/** The coordinator snapshot's format: bit-for-bit round trip, and refusals that say what changed. */
class DilocoSnapshotCodecTest {
    private static final int CHUNK_BYTES = 1024; // 256 values a chunk
    private static final String SOURCE = "test store";

    @Test
    void roundTripsBitForBit() {
        CoordinatorSnapshot s = snapshot(41, 1000, 7);
        List<CoordinatorSnapshot.Piece> pieces = s.encode(CHUNK_BYTES);
        assertEquals(2 * 4 + 1, pieces.size(), "1000 values in chunks of 256: 4 chunks per vector, and the manifest");
        assertEquals(CoordinatorSnapshot.MANIFEST_KEY, pieces.get(pieces.size() - 1).key(), "the manifest comes last");
        for (CoordinatorSnapshot.Piece p : pieces.subList(0, pieces.size() - 1)) {
            assertTrue(p.value().length <= CHUNK_BYTES, p.key() + " holds " + p.value().length + " bytes");
            assertEquals(41, p.round());
        }
        CoordinatorSnapshot back = CoordinatorSnapshot.decode(byKey(pieces), SOURCE);
        assertEquals(41, back.round());
        assertEquals(s.outerSteps(), back.outerSteps());
        assertEquals(s.outerLearningRate(), back.outerLearningRate());
        assertEquals(s.outerMomentum(), back.outerMomentum());
        assertArrayEquals(bits(s.parameters()), bits(back.parameters()));
        assertArrayEquals(bits(s.momentum()), bits(back.momentum()));
    }

    @Test
    void refusesAChunkOfAnotherParameterCount() {
        Map<String, CoordinatorSnapshot.Piece> pieces = byKey(snapshot(41, 1000, 7).encode(CHUNK_BYTES));
        // the last chunk of a model with 1100 parameters (same round): 256 values where 1000 parameters leave 232
        pieces.put("parameters/3", byKey(snapshot(41, 1100, 7).encode(CHUNK_BYTES)).get("parameters/3"));
        String message = refusal(pieces);
        assertTrue(message.contains("chunk parameters/3 holds 1024 bytes") && message.contains("parameter count changed"), message);

        CoordinatorSnapshot s = snapshot(41, 1000, 7);
        String model = assertThrows(IllegalStateException.class, () -> s.requireParameterCount(1100, SOURCE)).getMessage();
        assertTrue(model.contains("holds 1000 parameters, the model has 1100"), model);
    }

    @Test
    void refusesAFormatVersionItDoesNotKnow() {
        Map<String, CoordinatorSnapshot.Piece> pieces = byKey(snapshot(41, 1000, 7).encode(CHUNK_BYTES));
        editManifest(pieces, "version", 7);
        String message = refusal(pieces);
        assertTrue(message.contains("format version 7") && message.contains("reads version 1"), message);

        pieces = byKey(snapshot(41, 1000, 7).encode(CHUNK_BYTES));
        editManifest(pieces, "encoding", "bf16-le");
        message = refusal(pieces);
        assertTrue(message.contains("encoding bf16-le"), message);
    }

    @Test
    void refusesACorruptedMissingOrForeignChunk() {
        Map<String, CoordinatorSnapshot.Piece> pieces = byKey(snapshot(41, 1000, 7).encode(CHUNK_BYTES));
        pieces.get("momentum/1").value()[17] ^= 0x10; // one bit of one momentum value
        String message = refusal(pieces);
        assertTrue(message.contains("round 41") && message.contains("fails its checksum"), message);

        pieces = byKey(snapshot(41, 1000, 7).encode(CHUNK_BYTES));
        pieces.remove("momentum/2");
        message = refusal(pieces);
        assertTrue(message.contains("missing chunk momentum/2 of 4"), message);

        pieces = byKey(snapshot(41, 1000, 7).encode(CHUNK_BYTES));
        pieces.put("parameters/0", byKey(snapshot(40, 1000, 7).encode(CHUNK_BYTES)).get("parameters/0"));
        message = refusal(pieces);
        assertTrue(message.contains("chunk parameters/0 of the snapshot of round 40"), message);
    }

    private static String refusal(Map<String, CoordinatorSnapshot.Piece> pieces) {
        return assertThrows(IllegalStateException.class, () -> CoordinatorSnapshot.decode(pieces, SOURCE)).getMessage();
    }

    private static void editManifest(Map<String, CoordinatorSnapshot.Piece> pieces, String field, Object value) {
        CoordinatorSnapshot.Piece m = pieces.get(CoordinatorSnapshot.MANIFEST_KEY);
        try {
            ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(m.value());
            tree.set(field, Json.MAPPER.valueToTree(value));
            pieces.put(m.key(), new CoordinatorSnapshot.Piece(m.key(), m.round(), Json.MAPPER.writeValueAsBytes(tree)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every bit pattern may occur: random bits, so NaN payloads, -0 and subnormals are in it. */
    private static CoordinatorSnapshot snapshot(long round, int n, long seed) {
        Random random = new Random(seed);
        float[] theta = new float[n];
        float[] momentum = new float[n];
        for (int i = 0; i < n; i++) {
            theta[i] = Float.intBitsToFloat(random.nextInt());
            momentum[i] = Float.intBitsToFloat(random.nextInt());
        }
        return new CoordinatorSnapshot(round, theta, momentum, round + 1, 0.7, 0.9);
    }

    private static Map<String, CoordinatorSnapshot.Piece> byKey(List<CoordinatorSnapshot.Piece> pieces) {
        Map<String, CoordinatorSnapshot.Piece> out = new LinkedHashMap<>();
        pieces.forEach(p -> out.put(p.key(), p));
        return out;
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
