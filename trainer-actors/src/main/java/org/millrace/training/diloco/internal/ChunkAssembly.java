package org.millrace.training.diloco.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.millrace.training.diloco.DeltaEncoding;
import org.millrace.training.diloco.DilocoWorker;

/**
 * Puts a float vector back together from its chunks, which may come in any order (Artery keeps the order of one
 * sender's messages, but a resent round may interleave with a stale one): each chunk names its index, the
 * chunk count and its offset in the vector.
 */
public final class ChunkAssembly {
    private final long round;
    private final int count;
    private final float[] values;
    private final BitSet received;
    private long bytes;

    public ChunkAssembly(long round, int count, int length) {
        if (count < 1 || length < 0) {
            throw new IllegalArgumentException("a vector of " + length + " values in " + count + " chunks");
        }
        this.round = round;
        this.count = count;
        this.values = new float[length];
        this.received = new BitSet(count);
    }

    public long round() {
        return round;
    }

    /**
     * Adds one chunk; a chunk already received is ignored.
     *
     * @throws IllegalArgumentException if the chunk does not belong to this vector
     */
    public void add(int index, int chunkCount, int offset, DeltaEncoding encoding, byte[] payload) {
        if (chunkCount != count || index < 0 || index >= count) {
            throw new IllegalArgumentException("chunk " + index + "/" + chunkCount + " does not fit a vector of " + count + " chunks");
        }
        if (received.get(index)) {
            return;
        }
        encoding.decode(payload, values, offset);
        received.set(index);
        bytes += payload.length;
    }

    public boolean complete() {
        return received.cardinality() == count;
    }

    /** The vector, once {@link #complete()}. */
    public float[] values() {
        if (!complete()) {
            throw new IllegalStateException("only " + received.cardinality() + " of " + count + " chunks received");
        }
        return values;
    }

    /** Payload bytes received so far. */
    public long bytes() {
        return bytes;
    }

    /** Values per chunk for an encoding and a payload limit. */
    public static int valuesPerChunk(DeltaEncoding encoding, int chunkBytes) {
        return Math.max(1, chunkBytes / encoding.bytesPerValue());
    }

    /** Chunks of a vector of {@code length} values. */
    public static int chunkCount(int length, int valuesPerChunk) {
        return Math.max(1, (length + valuesPerChunk - 1) / valuesPerChunk);
    }

    /** A vector (θ_r, fp32) cut into the chunks of at most {@code chunkBytes} that go to a worker. */
    public static List<DilocoWorker.Parameters> parameterChunks(long round, float[] vector, int chunkBytes) {
        int per = valuesPerChunk(DeltaEncoding.FP32, chunkBytes);
        int count = chunkCount(vector.length, per);
        List<DilocoWorker.Parameters> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int offset = i * per;
            int n = Math.min(per, vector.length - offset);
            out.add(new DilocoWorker.Parameters(round, i, count, offset, vector.length,
                    DeltaEncoding.FP32.encode(vector, offset, n)));
        }
        return out;
    }
}
