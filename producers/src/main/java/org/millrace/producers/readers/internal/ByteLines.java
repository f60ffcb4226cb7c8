package org.millrace.producers.readers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of a byte stream, kept as bytes (so each line is decoded and checked on its own) and capped:
 * a line longer than the cap is read through without being held in memory, and reported as overlong.
 * Hand-written because {@code BufferedReader} decodes the whole stream with one charset and holds a
 * line of any length.
 */
public final class ByteLines {
    private final InputStream in;
    private final int cap;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int length;
    private long total;
    private boolean overlong;
    private long number;

    /** @param cap longest line kept, in bytes, without its terminator */
    public ByteLines(InputStream in, int cap) {
        this.in = in;
        this.cap = cap;
    }

    /**
     * Reads the next line (its terminator {@code \n} dropped, a {@code \r} before it kept).
     *
     * @return false at the end of the stream
     */
    public boolean next() throws IOException {
        length = 0;
        total = 0;
        overlong = false;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (any) {
                        number++;
                    }
                    return any;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                pos++; // the '\n'
                number++;
                return true;
            }
        }
    }

    private void append(int from, int count) {
        total += count;
        if (overlong || count == 0) {
            return;
        }
        if (length + (long) count > cap) {
            overlong = true;
            return;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.min(cap, Math.max(line.length * 2, length + count)));
        }
        System.arraycopy(buffer, from, line, length, count);
        length += count;
    }

    /** Bytes of the current line; valid up to {@link #length()} and until the next call. */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return length;
    }

    /** True when the current line was longer than the cap and its bytes were not kept. */
    public boolean overlong() {
        return overlong;
    }

    /** Length of the current line even when it was overlong. */
    public long totalLength() {
        return total;
    }

    /** 1-based number of the current line. */
    public long number() {
        return number;
    }
}
