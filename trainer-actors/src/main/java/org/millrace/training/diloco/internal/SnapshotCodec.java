package org.millrace.training.diloco.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.millrace.common.Json;
import org.millrace.training.diloco.CoordinatorSnapshot;
import org.millrace.training.diloco.DeltaEncoding;

/**
 * Encodes a {@link CoordinatorSnapshot} as a manifest and fp32 chunks, and decodes it back, refusing what it cannot
 * use with a message that says what changed (in the style of the trainer's {@code ManifestReader}). The format is
 * the project's own: Kafka and the file system both store opaque records, and the manifest is what makes a set of
 * them one snapshot.
 */
public final class SnapshotCodec {
    private static final String PARAMETERS = "parameters/";
    private static final String MOMENTUM = "momentum/";

    private SnapshotCodec() {
    }

    public static List<CoordinatorSnapshot.Piece> encode(CoordinatorSnapshot s, int chunkBytes, long time) {
        int per = ChunkAssembly.valuesPerChunk(DeltaEncoding.FP32, chunkBytes);
        int n = s.parameters().length;
        int count = ChunkAssembly.chunkCount(n, per);
        List<CoordinatorSnapshot.Piece> out = new ArrayList<>(2 * count + 1);
        CRC32C crc = new CRC32C();
        for (String vector : List.of(PARAMETERS, MOMENTUM)) {
            float[] values = vector.equals(PARAMETERS) ? s.parameters() : s.momentum();
            for (int i = 0; i < count; i++) {
                int offset = i * per;
                byte[] bytes = DeltaEncoding.FP32.encode(values, offset, Math.min(per, n - offset));
                crc.update(bytes);
                out.add(new CoordinatorSnapshot.Piece(vector + i, s.round(), bytes));
            }
        }
        SnapshotManifest manifest = new SnapshotManifest(SnapshotManifest.VERSION, s.round(), n, SnapshotManifest.ENCODING, per,
                count, s.outerLearningRate(), s.outerMomentum(), s.outerSteps(), checksum(crc), time);
        out.add(new CoordinatorSnapshot.Piece(CoordinatorSnapshot.MANIFEST_KEY, s.round(), Json.write(manifest)));
        return out;
    }

    public static CoordinatorSnapshot decode(Map<String, CoordinatorSnapshot.Piece> pieces, String source) {
        CoordinatorSnapshot.Piece manifestPiece = pieces.get(CoordinatorSnapshot.MANIFEST_KEY);
        if (manifestPiece == null) {
            throw new IllegalStateException("no coordinator snapshot manifest in " + source + " (" + pieces.size() + " chunks without one)");
        }
        SnapshotManifest m = manifest(manifestPiece.value(), source);
        String what = "the coordinator snapshot of round " + m.round() + " in " + source;
        if (!SnapshotManifest.ENCODING.equals(m.encoding())) {
            throw new IllegalStateException(what + " has encoding " + m.encoding() + "; this build reads " + SnapshotManifest.ENCODING);
        }
        if (m.parameterCount() < 1 || m.chunkValues() < 1 || m.chunks() != ChunkAssembly.chunkCount(m.parameterCount(), m.chunkValues())) {
            throw new IllegalStateException(what + " has an inconsistent manifest: " + m.parameterCount() + " parameters in "
                    + m.chunks() + " chunks of " + m.chunkValues() + " values");
        }
        CRC32C crc = new CRC32C();
        float[] parameters = vector(pieces, PARAMETERS, m, crc, what);
        float[] momentum = vector(pieces, MOMENTUM, m, crc, what);
        String actual = checksum(crc);
        if (!actual.equals(m.checksum())) {
            throw new IllegalStateException(what + " fails its checksum: the manifest says " + m.checksum() + ", the chunks give "
                    + actual + " (a chunk was corrupted)");
        }
        return new CoordinatorSnapshot(m.round(), parameters, momentum, m.outerSteps(), m.outerLearningRate(), m.outerMomentum());
    }

    private static SnapshotManifest manifest(byte[] json, String source) {
        try {
            JsonNode tree = Json.MAPPER.readTree(json);
            int version = tree.path("version").asInt(-1);
            if (version != SnapshotManifest.VERSION) {
                throw new IllegalStateException("the coordinator snapshot manifest in " + source + " has format version " + version
                        + "; this build reads version " + SnapshotManifest.VERSION
                        + ": it was written by a newer Millrace, or is not a coordinator snapshot");
            }
            return Json.MAPPER.treeToValue(tree, SnapshotManifest.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the coordinator snapshot manifest in " + source + ": " + e.getMessage(), e);
        }
    }

    private static float[] vector(Map<String, CoordinatorSnapshot.Piece> pieces, String vector, SnapshotManifest m, CRC32C crc,
                                  String what) {
        float[] values = new float[m.parameterCount()];
        for (int i = 0; i < m.chunks(); i++) {
            String key = vector + i;
            CoordinatorSnapshot.Piece chunk = pieces.get(key);
            if (chunk == null) {
                throw new IllegalStateException(what + " is missing chunk " + key + " of " + m.chunks());
            }
            if (chunk.round() != m.round()) {
                throw new IllegalStateException(what + " has chunk " + key + " of the snapshot of round " + chunk.round()
                        + ": the store mixed two snapshots");
            }
            int offset = i * m.chunkValues();
            int expected = Math.min(m.chunkValues(), m.parameterCount() - offset) * Float.BYTES;
            if (chunk.value().length != expected) {
                throw new IllegalStateException(what + ": chunk " + key + " holds " + chunk.value().length + " bytes where "
                        + m.parameterCount() + " parameters in chunks of " + m.chunkValues() + " values need " + expected
                        + " (the parameter count changed)");
            }
            DeltaEncoding.FP32.decode(chunk.value(), values, offset);
            crc.update(chunk.value());
        }
        return values;
    }

    private static String checksum(CRC32C crc) {
        return String.format("crc32c:%08x", crc.getValue());
    }
}
