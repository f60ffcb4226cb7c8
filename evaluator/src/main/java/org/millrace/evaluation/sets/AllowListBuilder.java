package org.millrace.evaluation.sets;

import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.LongIntHashMap;
import com.carrotsearch.hppc.LongLongHashMap;
import com.carrotsearch.hppc.cursors.LongIntCursor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.NGrams;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;

/**
 * The allow-list of decontamination: the 13-grams of evaluation items that are common in ordinary
 * text, i.e. found in at least {@code minDocuments} training documents of the corpus (licence headers,
 * stock phrases of documentation). Only the items' own n-grams are counted, so the scan holds a
 * primitive map of those and nothing of the corpus. It also counts the training documents that share a
 * 13-gram with the items before and after the allow-list: what the curation filter will drop.
 */
final class AllowListBuilder {
    private AllowListBuilder() {
    }

    /** The allow-list and what the scan saw. */
    record Result(List<String> phrases, long documents, long chars, long sharing, long sharingAfterAllowList) {
    }

    static Result build(Path corpusDir, List<List<EvalItem>> tasks, Set<String> heldOutIds, int n, int minDocuments,
                        Consumer<String> progress) {
        List<EvalItem> items = new ArrayList<>();
        tasks.forEach(items::addAll);
        LongLongHashMap where = new LongLongHashMap(); // n-gram → (item << 32 | word offset)
        for (int i = 0; i < items.size(); i++) {
            long[] hashes = NGrams.ngramHashes(items.get(i).contaminationText(), n);
            for (int k = 0; k < hashes.length; k++) {
                where.putIfAbsent(hashes[k], ((long) i << 32) | k);
            }
        }
        LongIntHashMap documentFrequency = new LongIntHashMap();
        List<long[]> sharingDocs = new ArrayList<>();
        long[] counts = new long[2];
        long started = System.nanoTime();
        try (Stream<Document> docs = Readers.forCorpus(corpusDir, ReaderOptions.defaults()).documents(skip -> { })) {
            docs.filter(d -> !heldOutIds.contains(d.id())).forEach(d -> {
                counts[0]++;
                counts[1] += d.text().length();
                LongHashSet seen = new LongHashSet();
                LongArrayList hits = new LongArrayList();
                for (long h : NGrams.ngramHashes(d.text(), n)) {
                    if (where.containsKey(h) && seen.add(h)) {
                        documentFrequency.addTo(h, 1);
                        hits.add(h);
                    }
                }
                if (!hits.isEmpty()) {
                    sharingDocs.add(hits.toArray());
                }
                if (counts[0] % 20_000 == 0) {
                    progress.accept(String.format("allow-list: %,d training documents scanned (%.0f MB) in %.0f s",
                            counts[0], counts[1] / 1e6, (System.nanoTime() - started) / 1e9));
                }
            });
        }
        LongHashSet allowed = new LongHashSet();
        TreeSet<String> phrases = new TreeSet<>();
        for (LongIntCursor c : documentFrequency) {
            if (c.value >= minDocuments) {
                allowed.add(c.key);
                long at = where.get(c.key);
                List<String> words = NGrams.words(items.get((int) (at >>> 32)).contaminationText());
                int from = (int) (at & 0xffffffffL);
                phrases.add(String.join(" ", words.subList(from, from + n)));
            }
        }
        long after = sharingDocs.stream().filter(hits -> {
            for (long h : hits) {
                if (!allowed.contains(h)) {
                    return true;
                }
            }
            return false;
        }).count();
        return new Result(List.copyOf(phrases), counts[0], counts[1], sharingDocs.size(), after);
    }
}
