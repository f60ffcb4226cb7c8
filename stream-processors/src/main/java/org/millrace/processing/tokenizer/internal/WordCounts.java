package org.millrace.processing.tokenizer.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How often each pre-tokenized piece ("word") occurs in the training texts, as Hugging Face's BPE
 * trainer counts them: merges are learned over distinct words weighted by their counts, which is
 * far less work than over the running text. Counting is split over threads; the result does not
 * depend on their number or timing.
 *
 * @param words  the distinct words as UTF-8 bytes, sorted (so training sees them in a fixed order)
 * @param counts how often each word occurs
 * @param bytes  UTF-8 bytes of the counted text
 */
public record WordCounts(List<byte[]> words, int[] counts, long bytes) {

    private static final class Counter {
        int n;
    }

    public static WordCounts of(List<String> texts, int threads) {
        int parts = Math.max(1, Math.min(threads, texts.size()));
        List<Map<String, Counter>> maps = new ArrayList<>();
        if (parts == 1) {
            maps.add(count(texts, 0, 1));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(parts, r -> {
                Thread t = new Thread(r, "millrace-bpe-count");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Map<String, Counter>>> futures = new ArrayList<>();
                for (int p = 0; p < parts; p++) {
                    int part = p;
                    futures.add(pool.submit(() -> count(texts, part, parts)));
                }
                for (Future<Map<String, Counter>> f : futures) {
                    maps.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while counting words", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("counting words failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        Map<String, Counter> all = maps.get(0);
        for (int m = 1; m < maps.size(); m++) {
            maps.get(m).forEach((w, c) -> all.computeIfAbsent(w, k -> new Counter()).n += c.n);
        }
        List<Map.Entry<byte[], Integer>> entries = new ArrayList<>(all.size());
        all.forEach((w, c) -> entries.add(Map.entry(w.getBytes(StandardCharsets.UTF_8), c.n)));
        entries.sort((a, b) -> java.util.Arrays.compareUnsigned(a.getKey(), b.getKey()));
        List<byte[]> words = new ArrayList<>(entries.size());
        int[] counts = new int[entries.size()];
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            words.add(entries.get(i).getKey());
            counts[i] = entries.get(i).getValue();
            bytes += (long) counts[i] * entries.get(i).getKey().length;
        }
        return new WordCounts(List.copyOf(words), counts, bytes);
    }

    /** Counts the words of every {@code parts}-th text starting at {@code part}. */
    private static Map<String, Counter> count(List<String> texts, int part, int parts) {
        Map<String, Counter> counts = new HashMap<>(1 << 16);
        for (int i = part; i < texts.size(); i += parts) {
            GptPreTokenizer.split(texts.get(i), w -> counts.computeIfAbsent(w, k -> new Counter()).n++);
        }
        return counts;
    }

    public int distinct() {
        return words.size();
    }
}
