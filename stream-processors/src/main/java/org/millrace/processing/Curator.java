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
    private final CurationMetrics metrics = CurationMetrics.INSTANCE;

    public Curator(CurationSettings settings, Topics topics, Tokenizer tokenizer, BufferAllocator allocator) {
        this(settings, topics, tokenizer, allocator, FilterRegistry.build(settings));
    }

    /** A curator with these filters instead of {@code millrace.curation.pipeline}'s. */
    Curator(CurationSettings settings, Topics topics, Tokenizer tokenizer, BufferAllocator allocator, List<DocumentFilter> filters) {
        this.settings = settings;
        this.filters = filters;
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
                Verdict v = applySafely(filter, doc);
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

    /**
     * The filter's verdict; a filter that throws on a document (a pathological input it was not written
     * for) drops that document with reason {@code filter_failed} instead of failing the stream, which
     * would otherwise restart on the same record forever. The failure is logged with the document's id.
     */
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

    private ProducerRecord<String, byte[]> rejected(Rejection rejection, String key) {
        return new ProducerRecord<>(topics.rejected(), key, Json.write(rejection));
    }
}
