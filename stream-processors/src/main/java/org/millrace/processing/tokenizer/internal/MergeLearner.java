package org.millrace.processing.tokenizer.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.millrace.common.ByteLevelBpeJson;

/**
 * Learns byte-level BPE merges from word counts, the way Hugging Face's {@code BpeTrainer} does:
 * count every adjacent symbol pair once over the distinct words (weighted by their counts), keep an
 * index from each pair to the words that contain it, then repeatedly merge the most frequent pair,
 * touching only the words that contain it and updating the counts of the pairs next to each merge.
 * A priority queue holds candidate pairs; an entry whose count went stale is re-queued with its
 * current count when it reaches the top (lazy deletion). Ties go to the smaller pair of ids, so the
 * result is a function of the word counts alone.
 *
 * <p>Hand-written because DJL's binding of the Hugging Face tokenizers library loads, encodes and
 * decodes but exposes no trainer (its JNI layer has no training entry point), and the project needs
 * to train inside the JVM that runs the stream. The output is a plain BPE vocabulary and merge list,
 * which the library then loads and applies.
 */
public final class MergeLearner {

    /** Ids 0–255 are the bytes; merges produce ids from 256 on, unless the merged string already has one. */
    public static final int BYTES = 256;

    /**
     * The learned vocabulary.
     *
     * @param tokens byte strings of the tokens by id (ids 0–255 are the single bytes)
     * @param merges merged pairs of ids, in the order learned (their rank)
     * @param sampleTokens tokens the counted words make with these merges (what encoding the sample gives)
     */
    public record Learned(List<byte[]> tokens, List<int[]> merges, long sampleTokens) {
    }

    private record Candidate(long count, int left, int right) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            if (count != o.count) {
                return Long.compare(o.count, count); // more frequent first
            }
            if (left != o.left) {
                return Integer.compare(left, o.left);
            }
            return Integer.compare(right, o.right);
        }
    }

    /** Count of a pair and the words it occurs in (may list words where it no longer occurs). */
    private static final class PairStats {
        long count;
        final IntList words = new IntList(4);
    }

    private final int[][] symbols;
    private final int[] lengths;
    private final int[] counts;
    private final Map<Long, PairStats> pairs = new HashMap<>();
    private final List<byte[]> tokens = new ArrayList<>();
    private final Map<String, Integer> idOfToken = new HashMap<>();

    private MergeLearner(WordCounts words) {
        int n = words.distinct();
        symbols = new int[n][];
        lengths = new int[n];
        counts = words.counts();
        for (int w = 0; w < n; w++) {
            byte[] bytes = words.words().get(w);
            int[] s = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                s[i] = bytes[i] & 0xFF;
            }
            symbols[w] = s;
            lengths[w] = s.length;
        }
        for (int b = 0; b < BYTES; b++) {
            byte[] t = {(byte) b};
            tokens.add(t);
            idOfToken.put(ByteLevelBpeJson.toChars(t), b);
        }
    }

    /**
     * @param maxTokens    stop when the vocabulary (bytes and merged tokens) has this many tokens
     * @param minFrequency stop when the most frequent pair occurs fewer times than this
     */
    public static Learned learn(WordCounts words, int maxTokens, int minFrequency) {
        return new MergeLearner(words).run(maxTokens, Math.max(1, minFrequency));
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private PairStats stats(int left, int right) {
        return pairs.computeIfAbsent(key(left, right), k -> new PairStats());
    }

    private Learned run(int maxTokens, int minFrequency) {
        for (int w = 0; w < symbols.length; w++) {
            int[] s = symbols[w];
            for (int i = 0; i + 1 < lengths[w]; i++) {
                PairStats p = stats(s[i], s[i + 1]);
                p.count += counts[w];
                p.words.addIfNotLast(w);
            }
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>(Math.max(16, pairs.size()));
        pairs.forEach((k, p) -> queue.add(new Candidate(p.count, (int) (k >>> 32), (int) (long) k)));

        List<int[]> merges = new ArrayList<>();
        int[] seenInMerge = new int[symbols.length];
        Arrays.fill(seenInMerge, -1);
        Map<Long, PairStats> grown = new HashMap<>();
        while (tokens.size() < maxTokens && !queue.isEmpty()) {
            Candidate top = queue.poll();
            PairStats current = pairs.get(key(top.left, top.right));
            long now = current == null ? 0 : current.count;
            if (now != top.count) {
                if (now > 0) {
                    queue.add(new Candidate(now, top.left, top.right));
                }
                continue;
            }
            if (now < minFrequency) {
                break;
            }
            int merged = idOf(top.left, top.right);
            int mergeIndex = merges.size();
            merges.add(new int[] {top.left, top.right});
            grown.clear();
            IntList where = current.words;
            for (int i = 0; i < where.size(); i++) {
                int w = where.get(i);
                if (seenInMerge[w] == mergeIndex) {
                    continue;
                }
                seenInMerge[w] = mergeIndex;
                mergeInWord(w, top.left, top.right, merged, grown);
            }
            pairs.remove(key(top.left, top.right)); // every occurrence is merged; stale queue entries drop
            grown.forEach((k, p) -> {
                if (p.count > 0) {
                    queue.add(new Candidate(p.count, (int) (k >>> 32), (int) (long) k));
                }
            });
        }
        long sampleTokens = 0;
        for (int w = 0; w < symbols.length; w++) {
            sampleTokens += (long) counts[w] * lengths[w];
        }
        return new Learned(List.copyOf(tokens), List.copyOf(merges), sampleTokens);
    }

    /** Id of the token {@code left + right}: an existing one if the same bytes were made by another merge. */
    private int idOf(int left, int right) {
        byte[] a = tokens.get(left);
        byte[] b = tokens.get(right);
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        String chars = ByteLevelBpeJson.toChars(joined);
        Integer existing = idOfToken.get(chars);
        if (existing != null) {
            return existing;
        }
        int id = tokens.size();
        tokens.add(joined);
        idOfToken.put(chars, id);
        return id;
    }

    /**
     * Replaces every occurrence of (a, b) in word {@code w}, left to right, and moves the counts of the
     * neighbouring pairs: (x, a) becomes (x, ab) and (b, y) becomes (ab, y). Pairs that gain go to
     * {@code grown} to be queued with their new counts.
     */
    private void mergeInWord(int w, int a, int b, int merged, Map<Long, PairStats> grown) {
        int[] s = symbols[w];
        int len = lengths[w];
        long n = counts[w];
        int out = 0;
        int i = 0;
        int lastMatchEnd = -1;
        while (i < len) {
            if (i + 1 < len && s[i] == a && s[i + 1] == b) {
                if (out > 0) {
                    int prev = s[out - 1];
                    if (lastMatchEnd != i) { // else (b, a) was taken away at the previous match's right side
                        stats(prev, a).count -= n;
                    }
                    gain(prev, merged, n, w, grown);
                }
                if (i + 2 < len) {
                    int next = s[i + 2];
                    stats(b, next).count -= n;
                    // the right neighbour is counted when it is itself placed (it may merge too)
                    if (!(next == a && i + 3 < len && s[i + 3] == b)) {
                        gain(merged, next, n, w, grown);
                    }
                }
                s[out++] = merged;
                i += 2;
                lastMatchEnd = i;
            } else {
                s[out++] = s[i++];
            }
        }
        lengths[w] = out;
    }

    private void gain(int left, int right, long n, int w, Map<Long, PairStats> grown) {
        PairStats p = stats(left, right);
        p.count += n;
        p.words.addIfNotLast(w);
        grown.put(key(left, right), p);
    }
}
