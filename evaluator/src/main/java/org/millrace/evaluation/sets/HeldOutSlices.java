package org.millrace.evaluation.sets;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.millrace.common.Document;

/** Which corpus documents are held out of training: a seeded sample of a source, within a size range. */
final class HeldOutSlices {
    private HeldOutSlices() {
    }

    /**
     * {@code n} documents of {@code docs} (any order) of {@code [minBytes, maxBytes]} UTF-8 bytes that
     * {@code accept} takes, drawn by a shuffle seeded with the build seed and {@code step}.
     */
    static List<Document> sample(List<Document> docs, int n, long minBytes, long maxBytes, Predicate<Document> accept,
                                 long seed, String step) {
        List<Document> eligible = docs.stream().filter(d -> {
            int bytes = d.text().getBytes(StandardCharsets.UTF_8).length;
            return bytes >= minBytes && bytes <= maxBytes && accept.test(d);
        }).sorted(Comparator.comparing(Document::url)).toList();
        List<Document> shuffled = Sampling.shuffled(eligible, seed, step);
        return shuffled.subList(0, Math.min(n, shuffled.size()));
    }
}
