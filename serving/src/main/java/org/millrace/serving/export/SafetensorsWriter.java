package org.millrace.serving.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.millrace.common.Json;

/**
 * Writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the data that
 * follows) plus {@code __metadata__}, padded with spaces to a multiple of 8 bytes, then the tensors'
 * bytes, little-endian, one after the other. Hand-written: there is no Java library for it on the
 * build's class path, and the format is this one paragraph.
 */
public final class SafetensorsWriter {
    /** One float32 tensor. */
    public record Tensor(String name, long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("tensor " + name + ": shape holds " + n + " values, data " + data.length);
            }
        }
    }

    private SafetensorsWriter() {
    }

    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = Json.MAPPER.createObjectNode();
        header.putPOJO("__metadata__", metadata);
        long offset = 0;
        for (Tensor t : tensors) {
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long end = offset + 4L * t.data().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = Json.write(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) {
            head[i] = (byte) ' ';
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(head);
            for (Tensor t : tensors) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(t.data());
                out.write(bytes.array());
            }
        }
    }

    /** The header of a safetensors file, for checks: name → entry, and the offset where the data starts. */
    public static Header readHeader(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] len = in.readNBytes(8);
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n <= 0 || n > 100_000_000) {
                throw new IOException(file + " is not a safetensors file (header length " + n + ")");
            }
            byte[] json = in.readNBytes((int) n);
            return new Header(Json.MAPPER.readTree(new String(json, StandardCharsets.UTF_8).strip()), 8 + n);
        }
    }

    /** @param json the header object; dataStart where the tensors' bytes begin */
    public record Header(com.fasterxml.jackson.databind.JsonNode json, long dataStart) {
    }
}
