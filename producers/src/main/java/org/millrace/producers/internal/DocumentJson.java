package org.millrace.producers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.Json;

/**
 * The JSON of a {@link Document} as {@link DocumentCodec#encode} writes it: the same fields in the same
 * order with the same escapes (only characters outside the BMP come out as UTF-8 rather than as a pair
 * of backslash-u escapes, which decodes to the same text). Hand-written because on the corpus Jackson
 * spent a third of ingestion's CPU time escaping texts char by char (and, given UTF-8 bytes instead,
 * byte by byte through its slow path): here the text is turned into UTF-8 by the JDK's intrinsic, the
 * escapes are found eight bytes at a time ({@link ByteBlocks}), and the runs between them are copied in
 * bulk into an array of the exact size.
 */
public final class DocumentJson {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = ascii("\"id\":\"");
    private static final byte[] TEXT = ascii("\"text\":\"");
    private static final byte[] SOURCE = ascii("\"source\":\"");
    private static final byte[] KIND = ascii("\"kind\":\"");
    private static final byte[] URL = ascii("\"url\":\"");
    private static final byte[] METADATA = ascii("\"metadata\":");
    private static final byte[] QUOTE = ascii("\"");
    private static final byte[] EMPTY_OBJECT = ascii("{}");
    /** Bytes of the escape of each ASCII byte; 0 for bytes written as they are. */
    private static final int[] ESCAPED_LENGTH = new int[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPED_LENGTH[c] = 6; // backslash, u, 0, 0, two hex digits
        }
        for (char c : new char[] {'\b', '\t', '\n', '\f', '\r', '"', '\\'}) {
            ESCAPED_LENGTH[c] = 2;
        }
    }

    private DocumentJson() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The JSON of a document and the UTF-8 bytes of its text (what ingestion counts). */
    public record Encoded(byte[] json, int textBytes) {
    }

    public static byte[] encode(Document d) {
        return encodeCounting(d).json();
    }

    public static Encoded encodeCounting(Document d) {
        byte[] id = d.id().getBytes(StandardCharsets.UTF_8);
        byte[] text = Utf8Memo.utf8(d.text()); // the bytes the reader decoded it from, when at hand
        byte[] source = d.source().getBytes(StandardCharsets.UTF_8);
        byte[] kind = d.kind().wireName().getBytes(StandardCharsets.UTF_8);
        byte[] url = d.url() == null ? null : d.url().getBytes(StandardCharsets.UTF_8);
        byte[] metadata = metadata(d);
        // One pass over the text: it is escaped into a per-thread scratch array (grown when escapes need
        // more room) and the record copied out at its exact size; counting the escapes first and writing
        // into an exact array scanned the text twice, and that first scan was a tenth of encoding's time.
        int least = 2 + ID.length + id.length + 2 + TEXT.length + text.length + 2 + SOURCE.length + source.length + 2
                + KIND.length + kind.length + 1 + (url == null ? 0 : 1 + URL.length + url.length + 1) + 1 + METADATA.length
                + metadata.length;
        Scratch out = Scratch.at(least + least / 16 + 64);
        out.put((byte) '{');
        out.field(ID, id);
        out.put((byte) ',');
        out.field(TEXT, text);
        out.put((byte) ',');
        out.field(SOURCE, source);
        out.put((byte) ',');
        out.field(KIND, kind);
        if (url != null) {
            out.put((byte) ',');
            out.field(URL, url);
        }
        out.put((byte) ',');
        out.put(METADATA, 0, METADATA.length);
        out.put(metadata, 0, metadata.length);
        out.put((byte) '}');
        return new Encoded(out.copy(), text.length);
    }

    /** A per-thread growable output array; {@link #copy} gives what was written at its exact size. */
    private static final class Scratch {
        /** Larger scratch arrays than this are not kept for the next document (a 4 MiB text must not pin 8 MiB per thread). */
        private static final int KEEP_AT_MOST = 1 << 20;
        private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);
        private byte[] buf = new byte[16 * 1024];
        private int at;

        static Scratch at(int expected) {
            Scratch s = OF_THREAD.get();
            s.at = 0;
            if (s.buf.length < expected || s.buf.length > KEEP_AT_MOST) {
                s.buf = new byte[Math.max(expected, 16 * 1024)];
            }
            return s;
        }

        void room(int more) {
            if (at + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(at + more, buf.length + (buf.length >> 1)));
            }
        }

        void put(byte b) {
            room(1);
            buf[at++] = b;
        }

        void put(byte[] b, int from, int length) {
            room(length);
            System.arraycopy(b, from, buf, at, length);
            at += length;
        }

        /** {@code prefix}, the escaped value and a closing quote. */
        void field(byte[] prefix, byte[] value) {
            put(prefix, 0, prefix.length);
            room(value.length + 1);
            int run = 0;
            int i = 0;
            for (int end = value.length - 7; i < end; i += 8) {
                long m = needsEscape(ByteBlocks.block(value, i));
                while (m != 0) {
                    int e = i + ByteBlocks.firstIndex(m);
                    escapeAt(value, run, e);
                    run = e + 1;
                    m &= m - 1;
                }
            }
            for (; i < value.length; i++) {
                byte b = value[i];
                if (b >= 0 && ESCAPED_LENGTH[b] != 0) {
                    escapeAt(value, run, i);
                    run = i + 1;
                }
            }
            put(value, run, value.length - run);
            put((byte) '"');
        }

        /** Copies the run {@code value[run, e)} and the escape of {@code value[e]}, with room left for the rest of the value. */
        private void escapeAt(byte[] value, int run, int e) {
            room(e - run + 6 + (value.length - e) + 1);
            System.arraycopy(value, run, buf, at, e - run);
            at = escape(buf, at + e - run, value[e]);
        }

        byte[] copy() {
            return java.util.Arrays.copyOf(buf, at);
        }
    }

    /**
     * The metadata object. Flat maps of strings, whole numbers and booleans (what the readers write) by
     * hand, in the map's order as Jackson would; anything else (nested values, fractions) by Jackson,
     * whose per-call setup cost more than a tenth of encoding a small document.
     */
    private static byte[] metadata(Document d) {
        Map<String, Object> m = d.metadata();
        if (m.isEmpty()) {
            return EMPTY_OBJECT;
        }
        byte[][] parts = new byte[m.size() * 2][];
        int size = 2 + (m.size() - 1);
        int k = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value;
            if (v instanceof String str) {
                value = str.getBytes(StandardCharsets.UTF_8);
                size += 2 + value.length + escapeExtra(value);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof Boolean) {
                value = v.toString().getBytes(StandardCharsets.US_ASCII);
                size += value.length;
            } else {
                return jackson(d);
            }
            size += 3 + key.length + escapeExtra(key);
            parts[k++] = key;
            parts[k++] = value;
        }
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = '{';
        k = 0;
        for (Object v : m.values()) {
            if (k > 0) {
                out[at++] = ',';
            }
            at = writeField(out, at, QUOTE, parts[k]);
            out[at++] = ':';
            byte[] value = parts[k + 1];
            if (v instanceof String) {
                at = writeField(out, at, QUOTE, value);
            } else {
                System.arraycopy(value, 0, out, at, value.length);
                at += value.length;
            }
            k += 2;
        }
        out[at++] = '}';
        if (at != size) {
            throw new IllegalStateException("metadata JSON of " + at + " bytes, " + size + " expected");
        }
        return out;
    }

    private static byte[] jackson(Document d) {
        try {
            return Json.MAPPER.writeValueAsBytes(d.metadata());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the metadata of document " + d.id() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Bytes the escapes of {@code value} add, eight bytes at a time where there is nothing to escape. */
    private static int escapeExtra(byte[] value) {
        int extra = 0;
        int i = 0;
        for (int end = value.length - 7; i < end; i += 8) {
            long m = needsEscape(ByteBlocks.block(value, i));
            while (m != 0) {
                extra += ESCAPED_LENGTH[value[i + ByteBlocks.firstIndex(m)]] - 1;
                m &= m - 1;
            }
        }
        for (; i < value.length; i++) {
            byte b = value[i];
            if (b >= 0 && ESCAPED_LENGTH[b] != 0) {
                extra += ESCAPED_LENGTH[b] - 1;
            }
        }
        return extra;
    }

    /** The bytes of a block JSON escapes: control characters, quote and backslash. */
    private static long needsEscape(long block) {
        return ByteBlocks.below0x20(block) | ByteBlocks.equalTo(block, (byte) '"') | ByteBlocks.equalTo(block, (byte) '\\');
    }

    /** Writes {@code prefix}, the escaped value and a closing quote; returns the position after them. */
    private static int writeField(byte[] out, int at, byte[] prefix, byte[] value) {
        System.arraycopy(prefix, 0, out, at, prefix.length);
        at += prefix.length;
        int run = 0;
        int i = 0;
        for (int end = value.length - 7; i < end; i += 8) {
            long m = needsEscape(ByteBlocks.block(value, i));
            while (m != 0) {
                int e = i + ByteBlocks.firstIndex(m);
                System.arraycopy(value, run, out, at, e - run);
                at = escape(out, at + e - run, value[e]);
                run = e + 1;
                m &= m - 1;
            }
        }
        for (; i < value.length; i++) {
            byte b = value[i];
            if (b >= 0 && ESCAPED_LENGTH[b] != 0) {
                System.arraycopy(value, run, out, at, i - run);
                at = escape(out, at + i - run, b);
                run = i + 1;
            }
        }
        System.arraycopy(value, run, out, at, value.length - run);
        at += value.length - run;
        out[at++] = '"';
        return at;
    }

    private static int escape(byte[] out, int at, byte b) {
        out[at++] = '\\';
        switch (b) {
            case '"', '\\' -> out[at++] = b;
            case '\b' -> out[at++] = 'b';
            case '\t' -> out[at++] = 't';
            case '\n' -> out[at++] = 'n';
            case '\f' -> out[at++] = 'f';
            case '\r' -> out[at++] = 'r';
            default -> {
                out[at++] = 'u';
                out[at++] = '0';
                out[at++] = '0';
                out[at++] = HEX[b >> 4];
                out[at++] = HEX[b & 0xF];
            }
        }
        return at;
    }
}
