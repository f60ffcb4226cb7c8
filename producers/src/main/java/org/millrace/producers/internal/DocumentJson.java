package org.millrace.producers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.Json;

/**
 * The JSON of a {@link Document} as {@link DocumentCodec#encode} writes it: the same fields in the same
 * order with the same escapes (only characters outside the BMP come out as UTF-8 rather than as a pair
 * of backslash-u escapes, which decodes to the same text); {@code metadata} is still written by Jackson.
 * Hand-written for the strings because on the corpus Jackson spent a third of ingestion's CPU time
 * escaping texts char by char (and, given UTF-8 bytes instead, byte by byte through its slow path):
 * here the text is turned into UTF-8 by the JDK's intrinsic, the escapes are counted, and the runs
 * between them are copied in bulk into an array of the exact size.
 */
public final class DocumentJson {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
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

    public static byte[] encode(Document d) {
        byte[] id = d.id().getBytes(StandardCharsets.UTF_8);
        byte[] text = d.text().getBytes(StandardCharsets.UTF_8);
        byte[] source = d.source().getBytes(StandardCharsets.UTF_8);
        byte[] kind = d.kind().wireName().getBytes(StandardCharsets.UTF_8);
        byte[] url = d.url() == null ? null : d.url().getBytes(StandardCharsets.UTF_8);
        byte[] metadata;
        try {
            metadata = Json.MAPPER.writeValueAsBytes(d.metadata());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the metadata of document " + d.id() + " as JSON: " + e.getMessage(), e);
        }
        int size = 2 + field("id", id) + 1 + field("text", text) + 1 + field("source", source) + 1 + field("kind", kind)
                + (url == null ? 0 : 1 + field("url", url)) + 1 + "\"metadata\":".length() + metadata.length;
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = '{';
        at = writeField(out, at, "id", id);
        out[at++] = ',';
        at = writeField(out, at, "text", text);
        out[at++] = ',';
        at = writeField(out, at, "source", source);
        out[at++] = ',';
        at = writeField(out, at, "kind", kind);
        if (url != null) {
            out[at++] = ',';
            at = writeField(out, at, "url", url);
        }
        out[at++] = ',';
        at = ascii(out, at, "\"metadata\":");
        System.arraycopy(metadata, 0, out, at, metadata.length);
        at += metadata.length;
        out[at++] = '}';
        if (at != size) {
            throw new IllegalStateException("document JSON of " + at + " bytes, " + size + " expected");
        }
        return out;
    }

    /** Bytes of {@code "name":"value"} with the value escaped. */
    private static int field(String name, byte[] value) {
        int n = name.length() + 3 + 2 + value.length;
        for (byte b : value) {
            if (b >= 0) {
                n += ESCAPED_LENGTH[b] == 0 ? 0 : ESCAPED_LENGTH[b] - 1;
            }
        }
        return n;
    }

    private static int writeField(byte[] out, int at, String name, byte[] value) {
        at = ascii(out, at, "\"" + name + "\":\"");
        int run = 0;
        for (int i = 0; i < value.length; i++) {
            byte b = value[i];
            if (b >= 0 && ESCAPED_LENGTH[b] != 0) {
                System.arraycopy(value, run, out, at, i - run);
                at += i - run;
                run = i + 1;
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
            }
        }
        System.arraycopy(value, run, out, at, value.length - run);
        at += value.length - run;
        out[at++] = '"';
        return at;
    }

    private static int ascii(byte[] out, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }
}
