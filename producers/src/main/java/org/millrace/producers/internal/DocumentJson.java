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
        int size = 2 + field(ID, id) + 1 + field(TEXT, text) + 1 + field(SOURCE, source) + 1 + field(KIND, kind)
                + (url == null ? 0 : 1 + field(URL, url)) + 1 + METADATA.length + metadata.length;
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = '{';
        at = writeField(out, at, ID, id);
        out[at++] = ',';
        at = writeField(out, at, TEXT, text);
        out[at++] = ',';
        at = writeField(out, at, SOURCE, source);
        out[at++] = ',';
        at = writeField(out, at, KIND, kind);
        if (url != null) {
            out[at++] = ',';
            at = writeField(out, at, URL, url);
        }
        out[at++] = ',';
        System.arraycopy(METADATA, 0, out, at, METADATA.length);
        at += METADATA.length;
        System.arraycopy(metadata, 0, out, at, metadata.length);
        at += metadata.length;
        out[at++] = '}';
        if (at != size) {
            throw new IllegalStateException("document JSON of " + at + " bytes, " + size + " expected");
        }
        return new Encoded(out, text.length);
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

    /** Bytes of {@code prefix} and the escaped value, closed by a quote ({@code "name":"value"}). */
    private static int field(byte[] prefix, byte[] value) {
        return prefix.length + value.length + escapeExtra(value) + 1;
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
