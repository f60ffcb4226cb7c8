package org.millrace.producers.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time: the bytes of a block that are below 0x20, or equal to a given byte, as a mask
 * with the high bit of each such byte set (exact per byte: no borrow crosses from one byte to the next).
 * Hand-written because ingestion scans every byte of the corpus several times (control characters,
 * JSON escapes) and nearly every block has nothing to find: a block at a time is several times faster
 * than a byte at a time, and the JDK offers no such scan on a {@code byte[]} (the Vector API is an
 * incubator module).
 */
public final class ByteBlocks {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;

    private ByteBlocks() {
    }

    /** Bytes {@code at .. at + 7} as a long, byte {@code at} lowest. */
    public static long block(byte[] bytes, int at) {
        return (long) LONGS.get(bytes, at);
    }

    /** The bytes below 0x20 (ASCII control characters; bytes from 0x80 never count). */
    public static long below0x20(long x) {
        return ~(((x & LOW7) + 0x6060606060606060L) | x) & HIGH;
    }

    /** The bytes equal to {@code b}. */
    public static long equalTo(long x, byte b) {
        long z = x ^ ((b & 0xFFL) * ONES);
        return ~(((z & LOW7) + LOW7) | z) & HIGH;
    }

    /** The bytes from 0x80 (parts of multi-byte UTF-8 sequences). */
    public static long nonAscii(long x) {
        return x & HIGH;
    }

    /** Index within the block of the lowest byte flagged in {@code mask} (not 0). */
    public static int firstIndex(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }
}
