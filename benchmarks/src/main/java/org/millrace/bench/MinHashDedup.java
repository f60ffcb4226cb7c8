package org.millrace.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MinHash near-duplicate detection as FineWeb runs it: word 5-gram shingles, 64-bit hashes, 112
 * hash functions in 14 bands of 8 rows; a document whose signature shares a whole band with an
 * earlier document is a near duplicate and would be removed (the first of a cluster is kept).
 * Written for measuring the variety of generated documents; the curation stream's own dedup stage is
 * separate.
 */
public final class MinHashDedup {
    public static final int SHINGLE = 5;
    public static final int BANDS = 14;
    public static final int ROWS = 8;
    private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private final long[] seeds = new long[BANDS * ROWS];
    private final long[] multipliers = new long[BANDS * ROWS];
    private final List<Map<Long, Integer>> buckets = new ArrayList<>();
    private int seen;
    private int duplicates;

    public MinHashDedup() {
        long s = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < seeds.length; i++) {
            s = mix(s + i);
            seeds[i] = s;
            multipliers[i] = mix(s ^ 0x5DEECE66DL);
        }
        for (int b = 0; b < BANDS; b++) {
            buckets.add(new HashMap<>());
        }
    }

    /** Adds a document; true when it is a near duplicate of one added before. */
    public boolean add(String text) {
        long[] signature = signature(text);
        int index = seen++;
        boolean duplicate = false;
        for (int b = 0; b < BANDS; b++) {
            long key = b;
            for (int r = 0; r < ROWS; r++) {
                key = mix(key * 31 + signature[b * ROWS + r]);
            }
            if (buckets.get(b).putIfAbsent(key, index) != null) {
                duplicate = true;
            }
        }
        if (duplicate) {
            duplicates++;
        }
        return duplicate;
    }

    public int seen() {
        return seen;
    }

    public int duplicates() {
        return duplicates;
    }

    /** Share of the documents added that are near duplicates of an earlier one. */
    public double duplicateRate() {
        return seen == 0 ? 0 : duplicates / (double) seen;
    }

    /** The 112 minima over the document's 5-gram shingles (a text of fewer than 5 words is one shingle). */
    long[] signature(String text) {
        String[] words = WORDS.split(text.toLowerCase(Locale.ROOT).strip());
        long[] wordHashes = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            wordHashes[i] = hash(words[i]);
        }
        long[] min = new long[seeds.length];
        java.util.Arrays.fill(min, Long.MAX_VALUE);
        int shingles = Math.max(1, words.length - SHINGLE + 1);
        for (int s = 0; s < shingles; s++) {
            long h = 0x9E3779B97F4A7C15L;
            for (int w = s; w < Math.min(words.length, s + SHINGLE); w++) {
                h = mix(h ^ wordHashes[w]);
            }
            for (int i = 0; i < seeds.length; i++) {
                long v = h * (seeds[i] | 1) + multipliers[i]; // one of 112 universal hashes of the well-mixed shingle hash
                if (Long.compareUnsigned(v, min[i]) < 0) {
                    min[i] = v;
                }
            }
        }
        return min;
    }

    /** Estimated Jaccard similarity of two texts' shingle sets (share of equal signature rows). */
    double similarity(String a, String b) {
        long[] x = signature(a);
        long[] y = signature(b);
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                same++;
            }
        }
        return same / (double) x.length;
    }

    private static long hash(String word) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (int i = 0; i < word.length(); i++) {
            h ^= word.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
