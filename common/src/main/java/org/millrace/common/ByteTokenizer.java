package org.millrace.common;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The simplest lossless tokenizer: one token per UTF-8 byte (ids 0–255) and end-of-text as 256. Used
 * before a BPE vocabulary is trained, and by tests; written by hand because it is three lines of logic.
 */
public final class ByteTokenizer implements Tokenizer {
    public static final String NAME = "byte-v1";
    public static final int END_OF_TEXT = 256;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int vocabSize() {
        return 257;
    }

    @Override
    public int endOfText() {
        return END_OF_TEXT;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id >= 0 && id < END_OF_TEXT) {
                out.write(id);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
