package org.millrace.processing.internal;

import java.util.Arrays;
import org.millrace.processing.NormalizedText;

/**
 * fastText's input features: the hashed word unigrams and bigrams of a text (after
 * {@link TextCleaner} and {@link NormalizedText}), each mapped to one of {@code buckets} embedding
 * rows ("hashing trick": no vocabulary to store, unseen words still land somewhere).
 */
public final class HashedNgrams {
    private HashedNgrams() {
    }

    /** The features of a whole text, at most {@code maxWords} words from its start. */
    public static int[] of(String text, int buckets, int maxWords) {
        NormalizedText t = NormalizedText.prefix(TextCleaner.clean(text), maxWords);
        return ofWords(t, 0, Math.min(t.words(), maxWords), buckets);
    }

    /** The features of words {@code [from, to)}: {@code n} unigrams then {@code n − 1} bigrams. */
    public static int[] ofWords(NormalizedText t, int from, int to, int buckets) {
        int n = to - from;
        if (n <= 0) {
            return new int[0];
        }
        int[] ids = new int[2 * n - 1];
        int k = 0;
        for (int i = from; i < to; i++) {
            ids[k++] = bucket(t.hashWords(i, i + 1), buckets);
        }
        for (int i = from; i + 1 < to; i++) {
            ids[k++] = bucket(t.hashWords(i, i + 2) * 31 + 17, buckets); // salted: a bigram never meets its words
        }
        return k == ids.length ? ids : Arrays.copyOf(ids, k);
    }

    private static int bucket(long hash, int buckets) {
        return (int) Math.floorMod(hash, (long) buckets);
    }
}
