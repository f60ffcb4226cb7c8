package org.millrace.processing.filters.internal;

/** 64-bit FNV-1a over a string's UTF-16 units: stable across JVMs, unlike {@code String.hashCode}'s 32 bits. */
public final class Hashes {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Hashes() {
    }

    public static long fnv1a64(CharSequence s) {
        return fnv1a64(s, 0, s.length());
    }

    /** The hash of {@code s[from, to)}. */
    public static long fnv1a64(CharSequence s, int from, int to) {
        long h = OFFSET;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            h = (h ^ (c & 0xff)) * PRIME;
            h = (h ^ (c >>> 8)) * PRIME;
        }
        return h;
    }
}
