package org.millrace.training.diloco.internal;

/**
 * The manifest of a coordinator snapshot (format version {@value #VERSION}), stored as JSON after its chunks.
 *
 * @param version           format version
 * @param round             the last round completed; θ is θ_{round+1}
 * @param parameterCount    values in θ and in the momentum buffer each
 * @param encoding          how the chunks hold the values ({@value #ENCODING}: fp32, little-endian)
 * @param chunkValues       values per chunk (the last chunk of each vector may hold fewer)
 * @param chunks            chunks per vector: {@code parameters/0..chunks-1} and {@code momentum/0..chunks-1}
 * @param outerLearningRate the outer learning rate the outer steps were taken with
 * @param outerMomentum     the outer momentum the outer steps were taken with
 * @param outerSteps        outer steps taken (the first one starts the buffer)
 * @param checksum          CRC32C of the parameter chunks' bytes, then the momentum chunks', in chunk order ({@code crc32c:%08x})
 * @param time              epoch milliseconds when made
 */
public record SnapshotManifest(int version, long round, int parameterCount, String encoding, int chunkValues, int chunks,
                               double outerLearningRate, double outerMomentum, long outerSteps, String checksum, long time) {
    public static final int VERSION = 1;
    public static final String ENCODING = "fp32-le";
}
