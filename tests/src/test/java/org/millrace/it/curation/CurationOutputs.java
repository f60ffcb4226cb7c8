package org.millrace.it.curation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.millrace.common.CuratedDocument;
import org.millrace.common.Json;
import org.millrace.common.Rejection;
import org.millrace.common.TokenBatch;
import org.millrace.common.TokenBatchCodec;
import org.millrace.common.Topics;
import org.millrace.ops.run.TopicReader;

/**
 * What one curation run left on its output topics, read committed, with the checks of the
 * exactly-once promise: each output key once, and each curated document's tokens in exactly one
 * place of the batch topics.
 *
 * @param outcomes   per input id: {@code curated:<bucket>} or {@code rejected:<filter>} (ids of records
 *                   that were not documents, {@code <topic>/<partition>/<offset>}, lose the topic prefix)
 * @param repeats    output keys written more than once, with their count
 * @param curated    curated records by id
 * @param rejections rejection records by id
 * @param tokensOf   per curated id, its tokens as the batches hold them, end-of-text included, in batch order
 * @param placements per curated id, how many separate runs of rows its tokens were found in
 */
public record CurationOutputs(Map<String, String> outcomes, Map<String, Integer> repeats, Map<String, CuratedDocument> curated,
                              Map<String, Rejection> rejections, Map<String, List<Integer>> tokensOf,
                              Map<String, Integer> placements) {

    public static CurationOutputs read(Map<String, Object> kafka, Topics topics) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, CuratedDocument> curated = new HashMap<>();
        Map<String, Rejection> rejections = new HashMap<>();
        Duration timeout = Duration.ofSeconds(60);
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, topics.curated(), timeout)) {
            CuratedDocument c = Json.read(r.value(), CuratedDocument.class);
            curated.put(r.key(), c);
            counts.merge(r.key(), 1, Integer::sum);
            outcomes.put(r.key(), "curated:" + c.bucket());
        }
        String prefix = topics.prefix() + ".";
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, topics.rejected(), timeout)) {
            Rejection x = Json.read(r.value(), Rejection.class);
            String id = x.id().startsWith(prefix) ? x.id().substring(prefix.length()) : x.id();
            rejections.put(id, x);
            counts.merge(r.key(), 1, Integer::sum);
            outcomes.merge(id, "rejected:" + x.filter(), (a, b) -> a + "+" + b);
        }
        Map<String, Integer> repeats = new HashMap<>();
        counts.forEach((k, n) -> {
            if (n > 1) {
                repeats.put(k, n);
            }
        });
        Map<String, List<Integer>> tokensOf = new HashMap<>();
        Map<String, Integer> placements = new HashMap<>();
        try (BufferAllocator allocator = new RootAllocator()) {
            for (String topic : topics.batchTopics()) {
                String lastDoc = null;
                for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, topic, timeout)) {
                    try (TokenBatchCodec.Decoded d = TokenBatchCodec.decode(r.value(), allocator)) {
                        lastDoc = collect(d.toTokenBatch(), tokensOf, placements, lastDoc);
                    }
                }
            }
        }
        return new CurationOutputs(outcomes, repeats, curated, rejections, tokensOf, placements);
    }

    /**
     * Appends each row's document spans to their documents. A document continued from the previous
     * row (start 0, same id as the last span) stays in its placement; any other appearance opens a
     * new one, so a document written twice has two placements.
     */
    private static String collect(TokenBatch batch, Map<String, List<Integer>> tokensOf, Map<String, Integer> placements,
                                  String lastDoc) {
        int rowLen = batch.rowLength();
        for (int row = 0; row < batch.rowCount(); row++) {
            TokenBatch.RowSpans spans = batch.rows().get(row);
            for (int i = 0; i < spans.docIds().size(); i++) {
                String id = spans.docIds().get(i);
                int from = spans.starts()[i];
                int to = i + 1 < spans.docIds().size() ? spans.starts()[i + 1] : spans.length();
                boolean continued = from == 0 && id.equals(lastDoc);
                if (!continued) {
                    placements.merge(id, 1, Integer::sum);
                }
                List<Integer> tokens = tokensOf.computeIfAbsent(id, k -> new ArrayList<>());
                for (int t = from; t < to; t++) {
                    tokens.add(batch.tokens()[row * rowLen + t]);
                }
                lastDoc = id;
            }
            if (spans.length() < rowLen) {
                lastDoc = null; // a padded row ends its group: nothing continues from it
            }
        }
        return lastDoc;
    }
}
