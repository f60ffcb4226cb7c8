package org.millrace.processing.tokenizer.internal;

import java.util.Arrays;

/** A growable list of ints without boxing (word indices of a pair, symbols of a word). */
final class IntList {
    private int[] items;
    private int size;

    IntList(int capacity) {
        items = new int[Math.max(capacity, 2)];
    }

    void add(int value) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size + (size >> 1) + 2);
        }
        items[size++] = value;
    }

    /** Adds the value unless it is already the last one (callers add each word's index in one run). */
    void addIfNotLast(int value) {
        if (size == 0 || items[size - 1] != value) {
            add(value);
        }
    }

    int get(int index) {
        return items[index];
    }

    int size() {
        return size;
    }
}
