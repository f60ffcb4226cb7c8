package org.millrace.processing.decontamination;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.IntIntHashMap;
import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.LongIntHashMap;
import com.carrotsearch.hppc.cursors.IntIntCursor;
import com.carrotsearch.hppc.cursors.LongCursor;
import java.util.ArrayList;
import java.util.List;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.EvalTaskDefinition;
import org.millrace.common.evalsets.NGrams;

/**
 * The n-grams of every evaluation item, hashed to 64 bits in primitive maps (no strings, no boxing):
 * long n-grams map to the task that holds them, short n-grams to the item (or, when several items share
 * one, to a list of items). Long n-grams of the allow-list are left out of both: a short n-gram lying
 * wholly inside allowed text is not counted either, in the document nor in the item's total.
 */
public final class ContaminationIndex {
    private final DecontaminationSettings settings;
    private final List<String> taskNames = new ArrayList<>();
    private final LongIntHashMap longNgrams = new LongIntHashMap();
    /** short n-gram → item index, or −(k+1) for entry k of {@link #shared}. */
    private final LongIntHashMap shortNgrams = new LongIntHashMap();
    private final List<IntArrayList> shared = new ArrayList<>();
    private final IntArrayList itemTask = new IntArrayList();
    private final IntArrayList itemShortCount = new IntArrayList();
    private final List<String> itemIds = new ArrayList<>();
    private final LongHashSet allowed = new LongHashSet();
    private int itemsTooShort;

    /** What a document shares with the evaluation sets. */
    public record Match(Level level, String task, String itemId, double ratio, String evidence) {
    }

    /** How contaminated a document is. */
    public enum Level { CLEAN, PARTIAL, CONTAMINATED }

    private ContaminationIndex(DecontaminationSettings settings) {
        this.settings = settings;
    }

    /** Indexes the items of the registry's tasks ({@code settings.tasks()}, or all). */
    public static ContaminationIndex build(EvalSetRegistry registry, DecontaminationSettings settings) {
        ContaminationIndex index = new ContaminationIndex(settings);
        List<String> phrases = new ArrayList<>(settings.allowList());
        if (settings.useBuiltAllowList()) {
            phrases.addAll(registry.allowList());
        }
        for (String phrase : phrases) {
            for (long h : NGrams.ngramHashes(phrase, settings.longNgram())) {
                index.allowed.add(h);
            }
        }
        List<String> names = settings.tasks().isEmpty()
                ? registry.tasks().stream().map(EvalTaskDefinition::name).toList() : settings.tasks();
        for (String name : names) {
            registry.task(name); // fails naming the known tasks
            index.addTask(name, registry.items(name));
        }
        return index;
    }

    /** Indexes items directly (tests, tools). */
    public static ContaminationIndex of(DecontaminationSettings settings, java.util.Map<String, List<EvalItem>> tasks,
                                       List<String> allowList) {
        ContaminationIndex index = new ContaminationIndex(settings);
        for (String phrase : allowList) {
            for (long h : NGrams.ngramHashes(phrase, settings.longNgram())) {
                index.allowed.add(h);
            }
        }
        tasks.forEach(index::addTask);
        return index;
    }

    private void addTask(String name, List<EvalItem> items) {
        int task = taskNames.size();
        taskNames.add(name);
        for (EvalItem item : items) {
            long[] words = NGrams.wordHashes(item.contaminationText());
            boolean[] covered = coveredByAllowList(words);
            long[] longs = NGrams.ngramHashes(words, settings.longNgram());
            for (long h : longs) {
                if (!allowed.contains(h) && !longNgrams.containsKey(h)) {
                    longNgrams.put(h, task);
                }
            }
            int itemIndex = itemIds.size();
            LongHashSet distinct = distinctShort(words, covered);
            if (distinct.isEmpty()) {
                itemsTooShort++;
            }
            for (LongCursor c : distinct) {
                addShort(c.value, itemIndex);
            }
            itemIds.add(item.id());
            itemTask.add(task);
            itemShortCount.add(distinct.size());
        }
    }

    private void addShort(long h, int item) {
        int slot = shortNgrams.indexOf(h);
        if (!shortNgrams.indexExists(slot)) {
            shortNgrams.indexInsert(slot, h, item);
            return;
        }
        int v = shortNgrams.indexGet(slot);
        if (v >= 0) {
            IntArrayList list = new IntArrayList(2);
            list.add(v);
            list.add(item);
            shared.add(list);
            shortNgrams.indexReplace(slot, -shared.size());
        } else {
            shared.get(-v - 1).add(item);
        }
    }

    /** Word positions inside some allowed long n-gram. */
    private boolean[] coveredByAllowList(long[] words) {
        boolean[] covered = new boolean[words.length];
        if (allowed.isEmpty()) {
            return covered;
        }
        long[] longs = NGrams.ngramHashes(words, settings.longNgram());
        for (int i = 0; i < longs.length; i++) {
            if (allowed.contains(longs[i])) {
                java.util.Arrays.fill(covered, i, i + settings.longNgram(), true);
            }
        }
        return covered;
    }

    private LongHashSet distinctShort(long[] words, boolean[] covered) {
        long[] shorts = NGrams.ngramHashes(words, settings.shortNgram());
        LongHashSet out = new LongHashSet(shorts.length);
        int n = settings.shortNgram();
        for (int i = 0; i < shorts.length; i++) {
            if (!allCovered(covered, i, i + n)) {
                out.add(shorts[i]);
            }
        }
        return out;
    }

    private static boolean allCovered(boolean[] covered, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!covered[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a text: contaminated at the first long n-gram it shares with an item (outside the
     * allow-list); otherwise by the largest share of one item's short n-grams found in the text.
     */
    public Match check(String text) {
        long[] words = NGrams.wordHashes(text);
        long[] longs = NGrams.ngramHashes(words, settings.longNgram());
        for (int i = 0; i < longs.length; i++) {
            int slot = longNgrams.indexOf(longs[i]);
            if (longNgrams.indexExists(slot)) {
                String task = taskNames.get(longNgrams.indexGet(slot));
                return new Match(Level.CONTAMINATED, task, null, 1.0, phrase(text, i, settings.longNgram()));
            }
        }
        if (shortNgrams.isEmpty()) {
            return new Match(Level.CLEAN, null, null, 0, null);
        }
        // Each distinct short n-gram of the text counts once for each item holding it. Only the few found
        // in the index are kept in a set to count them once, not every n-gram of the text: the same counts
        // as a set of all the text's n-grams first, and the choice below does not depend on their order.
        IntIntHashMap hits = new IntIntHashMap();
        boolean[] covered = coveredByAllowList(words);
        long[] shorts = NGrams.ngramHashes(words, settings.shortNgram());
        LongHashSet counted = null;
        for (int i = 0; i < shorts.length; i++) {
            int slot = shortNgrams.indexOf(shorts[i]);
            if (!shortNgrams.indexExists(slot) || allCovered(covered, i, i + settings.shortNgram())) {
                continue;
            }
            if (counted == null) {
                counted = new LongHashSet();
            }
            if (!counted.add(shorts[i])) {
                continue;
            }
            int v = shortNgrams.indexGet(slot);
            if (v >= 0) {
                hits.addTo(v, 1);
            } else {
                IntArrayList items = shared.get(-v - 1);
                for (int k = 0; k < items.size(); k++) {
                    hits.addTo(items.get(k), 1);
                }
            }
        }
        int best = -1;
        double bestRatio = 0;
        for (IntIntCursor c : hits) {
            double ratio = c.value / (double) itemShortCount.get(c.key);
            if (ratio > bestRatio || (ratio == bestRatio && c.key < best)) {
                bestRatio = ratio;
                best = c.key;
            }
        }
        if (best < 0) {
            return new Match(Level.CLEAN, null, null, 0, null);
        }
        Level level = bestRatio >= settings.contaminatedThreshold() ? Level.CONTAMINATED
                : bestRatio >= settings.partialThreshold() ? Level.PARTIAL : Level.CLEAN;
        return new Match(level, taskNames.get(itemTask.get(best)), itemIds.get(best), bestRatio, null);
    }

    /** The normalised words {@code from .. from+n-1} of a text, for messages. */
    private static String phrase(String text, int from, int n) {
        List<String> words = NGrams.words(text);
        return String.join(" ", words.subList(from, Math.min(words.size(), from + n)));
    }

    public List<String> tasks() {
        return List.copyOf(taskNames);
    }

    public int items() {
        return itemIds.size();
    }

    /** Items with no short n-gram (fewer words than the short n-gram): the ratio test cannot see them. */
    public int itemsTooShort() {
        return itemsTooShort;
    }

    public int longNgrams() {
        return longNgrams.size();
    }

    public int shortNgrams() {
        return shortNgrams.size();
    }
}
