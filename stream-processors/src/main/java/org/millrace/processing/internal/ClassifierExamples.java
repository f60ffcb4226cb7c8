package org.millrace.processing.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.codec.digest.MurmurHash3;
import org.millrace.processing.ClassifierSettings;
import org.millrace.processing.LabelledText;
import org.millrace.processing.NormalizedText;

/**
 * Training and held-out examples of the classifier: each seed is stripped of format
 * ({@link TextCleaner}), normalised and cut into chunks of words; seeds are split by their source
 * document (a stable hash of the group), never by chunk or line, so that no document has parts on
 * both sides. Each source contributes at most {@code maxExamplesPerSource} examples, from its
 * documents in a stable pseudo-random order.
 */
public final class ClassifierExamples {
    private static final int MIN_WORDS = 4;

    /** One chunk's hashed n-grams and its label. */
    public record Example(int[] ids, boolean positive, String source, String group) {
    }

    private final List<Example> train;
    private final List<Example> heldOut;
    private final Map<String, Integer> bySource;
    private final int heldOutGroups;

    private ClassifierExamples(List<Example> train, List<Example> heldOut, Map<String, Integer> bySource, int heldOutGroups) {
        this.train = train;
        this.heldOut = heldOut;
        this.bySource = bySource;
        this.heldOutGroups = heldOutGroups;
    }

    public static ClassifierExamples of(List<LabelledText> seeds, ClassifierSettings.Train t, int buckets) {
        Map<String, List<LabelledText>> perSource = new TreeMap<>();
        for (LabelledText s : seeds) {
            perSource.computeIfAbsent(s.source() + (s.positive() ? "+" : "-"), k -> new ArrayList<>()).add(s);
        }
        List<Example> train = new ArrayList<>();
        List<Example> heldOut = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Set<String> heldOutGroups = new HashSet<>();
        for (Map.Entry<String, List<LabelledText>> e : perSource.entrySet()) {
            List<LabelledText> docs = new ArrayList<>(e.getValue());
            docs.sort(Comparator.comparingLong((LabelledText d) -> stableHash(d.group() + "\u0000" + d.text().length(), t.seed()))
                    .thenComparing(LabelledText::group));
            int taken = 0;
            for (LabelledText d : docs) {
                if (taken >= t.maxExamplesPerSource()) {
                    break;
                }
                boolean held = unit(stableHash(d.group(), t.seed() ^ 0x5bd1e995L)) < t.heldOutFraction();
                NormalizedText words = NormalizedText.of(TextCleaner.clean(d.text()));
                int chunks = 0;
                for (int from = 0; from < words.words() && chunks < t.maxChunksPerDocument()
                        && taken < t.maxExamplesPerSource(); from += t.chunkWords()) {
                    int to = Math.min(words.words(), from + t.chunkWords());
                    if (to - from < MIN_WORDS) {
                        break;
                    }
                    Example ex = new Example(HashedNgrams.ofWords(words, from, to, buckets), d.positive(), d.source(), d.group());
                    (held ? heldOut : train).add(ex);
                    if (held) {
                        heldOutGroups.add(d.group());
                    }
                    chunks++;
                    taken++;
                }
            }
            counts.put(e.getKey(), taken);
        }
        return new ClassifierExamples(List.copyOf(train), List.copyOf(heldOut), counts, heldOutGroups.size());
    }

    private static long stableHash(String s, long seed) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return MurmurHash3.hash128x64(b, 0, b.length, (int) (seed ^ (seed >>> 32)))[0];
    }

    /** A hash as a number in [0, 1). */
    private static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    public List<Example> train() {
        return train;
    }

    public List<Example> heldOut() {
        return heldOut;
    }

    /** Examples per source and label ({@code name+} positive, {@code name-} negative). */
    public Map<String, Integer> bySource() {
        return bySource;
    }

    public int heldOutGroups() {
        return heldOutGroups;
    }
}
