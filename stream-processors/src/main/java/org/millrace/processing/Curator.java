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

/**
 * Curates one group of document records from one partition: every record becomes exactly one curated
 * or one rejected record, and the curated documents' tokens are packed into batches. Pure apart from
 * metrics and the state filters keep (dedup), which recognises a replayed document as itself, so a
 * replayed group gives the same output. Closing the curator closes its filters.
 */
public final class Curator implements AutoCloseable {
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
        this.settings = settings;
        this.maxRecordBytes = settings.maxDocBytes() + RECORD_OVERHEAD_BYTES;
        this.filters = FilterRegistry.build(settings);
        this.tokenizer = tokenizer;
        this.topics = topics;
        this.allocator = allocator;
        metrics.initBuckets(topics.buckets());
        this.packer = new SequencePacker(settings.seqLen(), settings.rowsPerBatch(), tokenizer.endOfText(), tokenizer.name());
    }

    /** Output records of one group, in the order they are to be produced. */
    public List<ProducerRecord<String, byte[]>> curate(List<ConsumerRecord<String, byte[]>> group) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(group.size() + 8);
        List<SequencePacker.Tokenized> kept = new ArrayList<>(group.size());
        for (ConsumerRecord<String, byte[]> record : group) {
            metrics.documentsIn.inc();
            metrics.bytesIn.inc(record.value() == null ? 0 : record.value().length);
            if (record.value() != null && record.value().length > maxRecordBytes) {
                // Not parsed at all: parsing would hold the whole text (twice) in memory, only to drop it.
                String id = record.key() != null && !record.key().isBlank() ? record.key()
                        : record.topic() + "/" + record.partition() + "/" + record.offset();
                metrics.filterVerdicts.labelValues("size", "dropped", "too_large").inc();
                out.add(rejected(new Rejection(id, "unknown", "size", "too_large: record of " + record.value().length
                        + " bytes, more than millrace.curation.max-doc-bytes " + settings.maxDocBytes() + " plus "
                        + RECORD_OVERHEAD_BYTES + " for the other fields; not parsed", (double) record.value().length), id));
                continue;
            }
            Document doc;
            try {
                doc = DocumentCodec.decode(record.value());
            } catch (InvalidRecordException e) {
                String id = record.topic() + "/" + record.partition() + "/" + record.offset();
                metrics.filterVerdicts.labelValues("decode", "dropped", "invalid_record").inc();
                out.add(rejected(new Rejection(id, "unknown", "decode", e.getMessage(), null), id));
                continue;
            }
            Verdict.Drop drop = null;
            String dropFilter = null;
            Map<String, Double> scores = new HashMap<>();
            for (DocumentFilter filter : filters) {
                Verdict v = filter.apply(doc);
                if (v instanceof Verdict.Drop d) {
                    metrics.filterVerdicts.labelValues(filter.name(), "dropped", d.reason()).inc();
                    drop = d;
                    dropFilter = filter.name();
                    break;
                }
                Verdict.Keep k = (Verdict.Keep) v;
                metrics.filterVerdicts.labelValues(filter.name(), k.modified() ? "modified" : "kept", "").inc();
                if (!Double.isNaN(k.score())) {
                    scores.put(filter.name(), k.score());
                }
                doc = k.document();
            }
            if (drop != null) {
                Double score = Double.isNaN(drop.score()) ? null : drop.score();
                out.add(rejected(new Rejection(doc.id(), doc.source(), dropFilter, drop.reason() + ": " + drop.detail(), score), doc.id()));
                continue;
            }
            String bucket = bucketOf(doc);
            int[] ids = tokenizer.encode(doc.text());
            kept.add(new SequencePacker.Tokenized(doc.id(), doc.source(), bucket, ids));
            metrics.curated.labelValues(bucket).inc();
            out.add(new ProducerRecord<>(topics.curated(), doc.id(),
                    Json.write(new CuratedDocument(doc, scores, bucket, ids.length))));
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

    private ProducerRecord<String, byte[]> rejected(Rejection rejection, String key) {
        return new ProducerRecord<>(topics.rejected(), key, Json.write(rejection));
    }
}
