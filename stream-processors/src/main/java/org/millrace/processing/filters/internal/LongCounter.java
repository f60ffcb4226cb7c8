package org.millrace.processing.filters.internal;

/**
 * Counts of 64-bit keys in an open-addressing table: the n-gram hashes of one document, without a
 * boxed Long per n-gram. Hand-written because the primitive-collection libraries are large jars for
 * this one use. Each slot is a key and its count side by side in one array, so that a probe reads
 * one cache line (a long document's table outgrows the caches). The count word also holds the
 * generation the slot was written in: {@link #clear} starts a new generation instead of zeroing the
 * table, so one table serves a document's several n-gram sizes. Not thread-safe; one per document.
 */
public final class LongCounter {
    private long[] slots; // (capacity, 2): key, generation << 32 | count; free unless of this generation
    private int size;
    private int mask;     // capacity − 1
    private long generation = 1; // a new array's zeros are generation 0: free

    public LongCounter(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new long[2 * capacity];
        mask = capacity - 1;
    }

    /** Adds one to {@code key}'s count and returns the new count. */
    public int increment(long key) {
        long[] s = slots;
        long gen = generation;
        int i = slot(key);
        long value;
        while (((value = s[2 * i + 1]) >>> 32) == gen) {
            if (s[2 * i] == key) {
                s[2 * i + 1] = ++value;
                return (int) value;
            }
            i = (i + 1) & mask;
        }
        s[2 * i] = key;
        s[2 * i + 1] = gen << 32 | 1;
        if (++size * 2 > mask + 1) {
            grow();
        }
        return 1;
    }

    /** Forgets every key. */
    public void clear() {
        size = 0;
        if (++generation > 0xFFFF_FFFFL) {
            java.util.Arrays.fill(slots, 0);
            generation = 1;
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        mask = old.length - 1; // the new capacity is the old slots array's length
        for (int j = 0; j < old.length; j += 2) {
            if (old[j + 1] >>> 32 == generation) {
                int i = slot(old[j]);
                while (slots[2 * i + 1] >>> 32 == generation) {
                    i = (i + 1) & mask;
                }
                slots[2 * i] = old[j];
                slots[2 * i + 1] = old[j + 1];
            }
        }
    }
}
