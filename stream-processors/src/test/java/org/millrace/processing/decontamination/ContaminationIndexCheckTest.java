package org.millrace.processing.decontamination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.NGrams;

/**
 * ContaminationIndex.check decides as its definition, computed here with plain sets: contaminated at
 * the first long n-gram of the text that some item holds (outside the allow-list), else the item with
 * the largest share of its distinct short n-grams (those not wholly inside allowed text) found among
 * the text's (same exclusion), ties to the first item. Random items and texts over a small vocabulary,
 * so that short n-grams are shared between items and texts hit several at once.
 */
class ContaminationIndexCheckTest {
    private static final String[] VOCABULARY = {"the", "of", "a", "sea", "whale", "ship", "and", "to", "in", "is", "it", "man"};
    private static final int LONG = 8;
    private static final int SHORT = 3;

    @Test
    void checkDecidesAsTheDefinition() {
        SplittableRandom random = new SplittableRandom(17);
        int partialOrWorse = 0;
        for (int round = 0; round < 40; round++) {
            DecontaminationSettings settings = new DecontaminationSettings(LONG, SHORT, 0.3, 0.6, false, List.of(), false, List.of(), false);
            Map<String, List<EvalItem>> tasks = new LinkedHashMap<>();
            List<String> itemTexts = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                List<EvalItem> items = new ArrayList<>();
                for (int k = 0; k < 1 + random.nextInt(5); k++) {
                    String text = words(random, 2 + random.nextInt(12));
                    items.add(EvalItem.text("t" + t + "-" + k, "test", null, text));
                    itemTexts.add(text);
                }
                tasks.put("task" + t, items);
            }
            List<String> allow = List.of(words(random, LONG + random.nextInt(4)));
            ContaminationIndex index = ContaminationIndex.of(settings, tasks, allow);
            for (int d = 0; d < 30; d++) {
                String text = random.nextInt(3) == 0
                        ? words(random, 5) + " " + itemTexts.get(random.nextInt(itemTexts.size())) + " " + words(random, 5)
                        : words(random, 1 + random.nextInt(60));
                ContaminationIndex.Match expected = byDefinition(tasks, allow, text, settings);
                ContaminationIndex.Match actual = index.check(text);
                assertEquals(expected.level(), actual.level(), text);
                assertEquals(expected.task(), actual.task(), text);
                assertEquals(expected.itemId(), actual.itemId(), text);
                assertEquals(expected.ratio(), actual.ratio(), 0.0, text);
                partialOrWorse += actual.level() == ContaminationIndex.Level.CLEAN ? 0 : 1;
            }
        }
        assertTrue(partialOrWorse > 100, partialOrWorse + " texts partial or contaminated");
    }

    private static String words(SplittableRandom random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
        }
        return b.toString();
    }

    private static ContaminationIndex.Match byDefinition(Map<String, List<EvalItem>> tasks, List<String> allowList, String text,
                                                         DecontaminationSettings s) {
        Set<Long> allowed = new HashSet<>();
        for (String phrase : allowList) {
            for (long h : NGrams.ngramHashes(phrase, s.longNgram())) {
                allowed.add(h);
            }
        }
        Map<Long, String> longOwner = new HashMap<>();
        List<Set<Long>> itemShorts = new ArrayList<>();
        List<String> itemIds = new ArrayList<>();
        List<String> itemTasks = new ArrayList<>();
        tasks.forEach((task, items) -> {
            for (EvalItem item : items) {
                long[] words = NGrams.wordHashes(item.contaminationText());
                for (long h : NGrams.ngramHashes(words, s.longNgram())) {
                    if (!allowed.contains(h)) {
                        longOwner.putIfAbsent(h, task);
                    }
                }
                itemShorts.add(shorts(words, allowed, s));
                itemIds.add(item.id());
                itemTasks.add(task);
            }
        });
        long[] words = NGrams.wordHashes(text);
        for (long h : NGrams.ngramHashes(words, s.longNgram())) {
            if (longOwner.containsKey(h)) {
                return new ContaminationIndex.Match(ContaminationIndex.Level.CONTAMINATED, longOwner.get(h), null, 1.0, null);
            }
        }
        Set<Long> found = shorts(words, allowed, s);
        int best = -1;
        double bestRatio = 0;
        for (int i = 0; i < itemShorts.size(); i++) {
            Set<Long> shared = new HashSet<>(itemShorts.get(i));
            shared.retainAll(found);
            double ratio = itemShorts.get(i).isEmpty() ? 0 : shared.size() / (double) itemShorts.get(i).size();
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = i;
            }
        }
        if (best < 0) {
            return new ContaminationIndex.Match(ContaminationIndex.Level.CLEAN, null, null, 0, null);
        }
        ContaminationIndex.Level level = bestRatio >= s.contaminatedThreshold() ? ContaminationIndex.Level.CONTAMINATED
                : bestRatio >= s.partialThreshold() ? ContaminationIndex.Level.PARTIAL : ContaminationIndex.Level.CLEAN;
        return new ContaminationIndex.Match(level, itemTasks.get(best), itemIds.get(best), bestRatio, null);
    }

    /** The distinct short n-grams of a text's words, but those whose words all lie inside an allowed long n-gram. */
    private static Set<Long> shorts(long[] words, Set<Long> allowed, DecontaminationSettings s) {
        boolean[] covered = new boolean[words.length];
        long[] longs = NGrams.ngramHashes(words, s.longNgram());
        for (int i = 0; i < longs.length; i++) {
            if (allowed.contains(longs[i])) {
                java.util.Arrays.fill(covered, i, i + s.longNgram(), true);
            }
        }
        Set<Long> out = new HashSet<>();
        long[] shorts = NGrams.ngramHashes(words, s.shortNgram());
        for (int i = 0; i < shorts.length; i++) {
            boolean all = true;
            for (int k = i; k < i + s.shortNgram(); k++) {
                all &= covered[k];
            }
            if (!all) {
                out.add(shorts[i]);
            }
        }
        return out;
    }
}
