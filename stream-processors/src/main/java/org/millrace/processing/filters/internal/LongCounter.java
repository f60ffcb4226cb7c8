package org.millrace.processing.filters.internal;

/**
 * Counts of 64-bit keys in an open-addressing table: the n-gram hashes of one document, without a
 * boxed Long per n-gram. Hand-written because the primitive-collection libraries are large jars for
 * this one use. Not thread-safe; one per document.
 */
public final class LongCounter {
    private long[] keys;
    private int[] counts;
    private boolean[] used;
    private int size;
    private int mask;

    public LongCounter(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        counts = new int[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
    }

    /** Adds one to {@code key}'s count and returns the new count. */
    public int increment(long key) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                return ++counts[i];
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = key;
        counts[i] = 1;
        if (++size * 2 > keys.length) {
            grow();
        }
        return 1;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldUsed[j]) {
                int i = slot(oldKeys[j]);
                while (used[i]) {
                    i = (i + 1) & mask;
                }
                used[i] = true;
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
            }
        }
    }
}
