package org.millrace.training.diloco;

import java.util.List;
import java.util.Map;
import org.millrace.training.diloco.internal.SnapshotCodec;

/**
 * What the DiLoCo coordinator needs to go on after a move: the round it completed last, θ after that round's outer
 * step (θ_{round+1}), the outer Nesterov momentum buffer and how many outer steps it has taken (the first step
 * starts the buffer differently), and the outer learning rate and momentum it was made with. Stored as a small
 * versioned manifest plus fp32 chunks ({@link #encode}, {@link #decode}); the format is in docs/diloco.md,
 * "Coordinator snapshots".
 *
 * @param round             the last round completed; the coordinator resumes at {@code round + 1}
 * @param parameters        θ_{round+1}
 * @param momentum          the outer momentum buffer after that round's step
 * @param outerSteps        outer steps taken so far
 * @param outerLearningRate the outer learning rate the steps were taken with
 * @param outerMomentum     the outer momentum the steps were taken with
 */
public record CoordinatorSnapshot(long round, float[] parameters, float[] momentum, long outerSteps, double outerLearningRate,
                                  double outerMomentum) {

    public CoordinatorSnapshot {
        if (parameters.length == 0 || momentum.length != parameters.length) {
            throw new IllegalArgumentException("a coordinator snapshot of " + parameters.length + " parameters with a momentum buffer of "
                    + momentum.length + " values");
        }
    }

    /** The key of the manifest record, which names everything else. */
    public static final String MANIFEST_KEY = "manifest";

    /**
     * One stored piece of a snapshot: the manifest (key {@value #MANIFEST_KEY}) or a chunk of fp32 values
     * ({@code parameters/<i>} or {@code momentum/<i>}).
     *
     * @param round the snapshot's round, so a reader never mixes chunks of two snapshots
     */
    public record Piece(String key, long round, byte[] value) {
    }

    /** The pieces of this snapshot, every chunk at most {@code chunkBytes} of values, the manifest last. */
    public List<Piece> encode(int chunkBytes) {
        return SnapshotCodec.encode(this, chunkBytes, System.currentTimeMillis());
    }

    /**
     * The snapshot the manifest names, from its pieces.
     *
     * @param pieces the latest piece of every key read from the store (the manifest among them)
     * @param source where they were read, for the messages
     * @throws IllegalStateException if the manifest has a format version or encoding this build does not read, a
     *                               chunk is missing, belongs to another snapshot or does not hold the manifest's
     *                               parameter count, or the checksum does not match
     */
    public static CoordinatorSnapshot decode(Map<String, Piece> pieces, String source) {
        return SnapshotCodec.decode(pieces, source);
    }

    /**
     * Checks the snapshot against the model that will train on it.
     *
     * @throws IllegalStateException naming both counts if they differ
     */
    public void requireParameterCount(int modelParameters, String source) {
        if (modelParameters != parameters.length) {
            throw new IllegalStateException("the coordinator snapshot of round " + round + " in " + source + " holds "
                    + parameters.length + " parameters, the model has " + modelParameters
                    + ": the model changed since; start the run on a new snapshot topic (millrace.diloco.snapshots.topic)");
        }
    }
}
