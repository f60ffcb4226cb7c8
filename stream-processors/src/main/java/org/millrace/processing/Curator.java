package org.millrace.processing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.common.CuratedDocument;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.Json;
import org.millrace.common.Rejection;
import org.millrace.common.TokenBatch;
import org.millrace.common.TokenBatchCodec;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.common.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Curates one group of document records from one partition: every record becomes exactly one curated
 * or one rejected record, and the curated documents' tokens are packed into batches. Pure apart from
 * metrics and the state filters keep (dedup), which recognises a replayed document as itself, so a
 * replayed group gives the same output. Closing the curator closes its filters.
 */
public final class Curator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Curator.class);
    private final List<DocumentFilter> filters;
    private final CurationSettings settings;
    private final Tokenizer tokenizer;
    private final SequencePacker packer;
    private final Topics topics;
    private final BufferAllocator allocator;
    /** Room in a record for the fields around the text (id, source, url, metadata). */
    static final long RECORD_OVERHEAD_BYTES = 1 << 20;

    private final CurationMetrics metrics = CurationMetrics.INSTANCE;
    private final long maxRecordBytes;

    public Curator(CurationSettings settings, Topics topics, Tokenizer tokenizer, BufferAllocator allocator) {
        this(settings, topics, tokenizer, allocator, Map.of());
    }

    /**
     * A curator whose pipeline takes the filters of {@code replacements} in place of the configured
     * ones of the same name (a cluster node's dedup goes to the cluster's shards).
     */
    public Curator(CurationSettings settings, Topics topics, Tokenizer tokenizer, BufferAllocator allocator,
                   Map<String, java.util.function.Supplier<? extends DocumentFilter>> replacements) {
        this(settings, topics, tokenizer, allocator, FilterRegistry.build(settings, replacements));
    }

    /** A curator with these filters instead of {@code millrace.curation.pipeline}'s. */
    Curator(CurationSettings settings, Topics topics, Tokenizer tokenizer, BufferAllocator allocator, List<DocumentFilter> filters) {
        this.settings = settings;
        this.maxRecordBytes = settings.maxDocBytes() + RECORD_OVERHEAD_BYTES;
        this.filters = filters;
        this.tokenizer = tokenizer;
        this.topics = topics;
        this.allocator = allocator;
        metrics.initBuckets(topics.buckets());
        this.packer = new SequencePacker(settings.seqLen(), settings.rowsPerBatch(), tokenizer.endOfText(), tokenizer.name());
    }

    /**
     * Output records of one group, in the order they are to be produced. The filters run one after the
     * other over the documents still in the running, so a {@link GroupFilter} decides the group in one call.
     */
    public List<ProducerRecord<String, byte[]>> curate(List<ConsumerRecord<String, byte[]>> group) {
        int n = group.size();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(n + 8);
        List<SequencePacker.Tokenized> kept = new ArrayList<>(n);
        Document[] docs = new Document[n];
        ProducerRecord<String, byte[]>[] rejections = newRecords(n);
        List<Map<String, Double>> scores = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, byte[]> record = group.get(i);
            scores.add(new HashMap<>());
            metrics.documentsIn.inc();
            metrics.bytesIn.inc(record.value() == null ? 0 : record.value().length);
            if (record.value() != null && record.value().length > maxRecordBytes) {
                // Not parsed at all: parsing would hold the whole text (twice) in memory, only to drop it.
                String id = record.key() != null && !record.key().isBlank() ? record.key()
                        : record.topic() + "/" + record.partition() + "/" + record.offset();
                metrics.filterVerdicts.labelValues("size", "dropped", "too_large").inc();
                rejections[i] = rejected(new Rejection(id, "unknown", "size", "too_large: record of " + record.value().length
                        + " bytes, more than millrace.curation.max-doc-bytes " + settings.maxDocBytes() + " plus "
                        + RECORD_OVERHEAD_BYTES + " for the other fields; not parsed", (double) record.value().length), id);
                continue;
            }
            try {
                docs[i] = DocumentCodec.decode(record.value());
            } catch (InvalidRecordException e) {
                String id = record.topic() + "/" + record.partition() + "/" + record.offset();
                metrics.filterVerdicts.labelValues("decode", "dropped", "invalid_record").inc();
                rejections[i] = rejected(new Rejection(id, "unknown", "decode", e.getMessage(), null), id);
            }
        }
        for (DocumentFilter filter : filters) {
            List<Integer> alive = new ArrayList<>(n);
            List<Document> inputs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (rejections[i] == null) {
                    alive.add(i);
                    inputs.add(docs[i]);
                }
            }
            if (alive.isEmpty()) {
                break;
            }
            List<Verdict> verdicts = verdictsSafely(filter, inputs);
            for (int k = 0; k < alive.size(); k++) {
                int i = alive.get(k);
                Verdict v = verdicts.get(k);
                if (v instanceof Verdict.Drop d) {
                    metrics.filterVerdicts.labelValues(filter.name(), "dropped", d.reason()).inc();
                    Double score = Double.isNaN(d.score()) ? null : d.score();
                    rejections[i] = rejected(new Rejection(docs[i].id(), docs[i].source(), filter.name(),
                            d.reason() + ": " + d.detail(), score), docs[i].id());
                    continue;
                }
                Verdict.Keep keep = (Verdict.Keep) v;
                metrics.filterVerdicts.labelValues(filter.name(), keep.modified() ? "modified" : "kept", "").inc();
                if (!Double.isNaN(keep.score())) {
                    scores.get(i).put(filter.name(), keep.score());
                }
                docs[i] = keep.document();
            }
        }
        for (int i = 0; i < n; i++) {
            if (rejections[i] != null) {
                out.add(rejections[i]);
                continue;
            }
            Document doc = docs[i];
            String bucket = bucketOf(doc);
            int[] ids = tokenizer.encode(doc.text());
            kept.add(new SequencePacker.Tokenized(doc.id(), doc.source(), bucket, ids));
            metrics.curated.labelValues(bucket).inc();
            out.add(new ProducerRecord<>(topics.curated(), doc.id(),
                    Json.write(new CuratedDocument(doc, scores.get(i), bucket, ids.length))));
        }
        if (!kept.isEmpty()) {
            ConsumerRecord<String, byte[]> first = group.get(0);
            String idPrefix = first.topic() + "-" + first.partition() + "-" + first.offset();
            for (TokenBatch batch : packer.pack(kept, idPrefix)) {
                metrics.batches.labelValues(batch.bucket()).inc();
                metrics.tokens.labelValues(batch.bucket()).inc(batch.rows().stream().mapToInt(TokenBatch.RowSpans::length).sum());
                out.add(new ProducerRecord<>(topics.batches(batch.bucket()), batch.batchId(),
                        TokenBatchCodec.encode(batch, allocator)));
            }
        }
        return out;
    }

    /**
     * The filter's verdicts for a group. A per-document filter that throws on a document (a pathological
     * input it was not written for) drops that document with reason {@code filter_failed} instead of
     * failing the stream, which would otherwise restart on the same record forever; the failure is logged
     * with the document's id. A group filter's failure is the state behind it failing (the cluster's dedup
     * shards): it fails the stream, which restarts from the last commit, rather than reject documents for it.
     */
    private static List<Verdict> verdictsSafely(DocumentFilter filter, List<Document> documents) {
        if (filter instanceof GroupFilter group) {
            return GroupFilter.verdicts(group, documents);
        }
        List<Verdict> out = new ArrayList<>(documents.size());
        for (Document d : documents) {
            out.add(applySafely(filter, d));
        }
        return out;
    }

    private static Verdict applySafely(DocumentFilter filter, Document doc) {
        try {
            return filter.apply(doc);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("filter {} failed on document {} ({} characters); rejected as filter_failed", filter.name(),
                    doc.id(), doc.text().length(), e);
            return Verdict.drop("filter_failed", e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The bucket a filter assigned ({@link DocumentFilter#BUCKET_KEY}) if it is configured, else the kind's. */
    private String bucketOf(Document doc) {
        Object assigned = doc.metadata().get(DocumentFilter.BUCKET_KEY);
        if (assigned instanceof String b && topics.buckets().contains(b)) {
            return b;
        }
        return settings.bucketOfKind().get(doc.kind());
    }

    @Override
    public void close() {
        FilterRegistry.closeAll(filters);
    }

    @SuppressWarnings("unchecked")
    private static ProducerRecord<String, byte[]>[] newRecords(int n) {
        return (ProducerRecord<String, byte[]>[]) new ProducerRecord[n];
    }

    private ProducerRecord<String, byte[]> rejected(Rejection rejection, String key) {
        return new ProducerRecord<>(topics.rejected(), key, Json.write(rejection));
    }
}
