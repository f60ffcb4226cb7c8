package org.millrace.processing.tokenizer.internal;

/**
 * The byte-level alphabet of GPT-2 and of Hugging Face's {@code ByteLevel} pre-tokenizer: each of
 * the 256 byte values is shown as one printable character, so that a byte-level BPE vocabulary can
 * be written as strings in {@code tokenizer.json}. Printable Latin-1 bytes stand for themselves; the
 * others (controls, space, soft hyphen...) are mapped in order to U+0100 and up (space becomes 'Ġ').
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 256;
        for (int b = 0; b < 256; b++) {
            BYTE_TO_CHAR[b] = printable[b] ? (char) b : (char) next++;
        }
    }

    private ByteLevel() {
    }

    /** The character that stands for a byte. */
    public static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** A byte sequence in the byte-level alphabet. */
    public static String toChars(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }
}
