package org.millrace.common;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One batch of packed token sequences, the unit that goes on {@code millrace.batches.<bucket>}.
 * Each row is a window of {@code seqLen + 1} tokens (inputs are the first {@code seqLen}, targets the
 * last {@code seqLen}); documents are joined by the end-of-text token and may run across rows.
 *
 * @param batchId   unique id of the batch (also its Kafka key)
 * @param bucket    curriculum bucket
 * @param tokenizer name of the tokenizer that made the tokens (a model trained on another fails to load it)
 * @param seqLen    sequence length; rows hold {@code seqLen + 1} tokens
 * @param tokens    row-major token ids, {@code rows × (seqLen + 1)}
 * @param rows      which documents each row holds
 */
public record TokenBatch(String batchId, String bucket, String tokenizer, int seqLen, int[] tokens, List<RowSpans> rows) {

    /**
     * The documents in one row.
     *
     * @param length  real tokens in the row; positions from here on are padding (end-of-text) and are
     *                not trained on. A row is padded only at the end of a transaction's worth of documents.
     * @param docIds  ids of the documents whose tokens are in the row, in order
     * @param starts  position in the row where each document's tokens start (0 for a continuation)
     * @param sources source of each document
     */
    public record RowSpans(int length, List<String> docIds, int[] starts, List<String> sources) {
        public RowSpans {
            if (length < 1) {
                throw new IllegalArgumentException("a row holds at least one real token (length " + length + ")");
            }
            docIds = List.copyOf(docIds);
            sources = List.copyOf(sources);
            if (docIds.size() != starts.length || docIds.size() != sources.size()) {
                throw new IllegalArgumentException("docIds, starts and sources must have one entry per document");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowSpans r && length == r.length && docIds.equals(r.docIds) && Arrays.equals(starts, r.starts)
                    && sources.equals(r.sources);
        }

        @Override
        public int hashCode() {
            return Objects.hash(length, docIds, Arrays.hashCode(starts), sources);
        }

        @Override
        public String toString() {
            return "RowSpans[" + length + "]" + docIds + Arrays.toString(starts);
        }
    }

    public TokenBatch {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(tokenizer, "tokenizer");
        rows = List.copyOf(rows);
        if (seqLen < 1) {
            throw new IllegalArgumentException("seqLen must be >= 1 (got " + seqLen + ")");
        }
        for (RowSpans r : rows) {
            if (r.length() > seqLen + 1) {
                throw new IllegalArgumentException("row length " + r.length() + " exceeds seqLen + 1 = " + (seqLen + 1));
            }
        }
        if (tokens.length != rows.size() * (seqLen + 1)) {
            throw new IllegalArgumentException("tokens hold " + tokens.length + " ids, expected rows × (seqLen + 1) = "
                    + rows.size() + " × " + (seqLen + 1));
        }
    }

    public int rowCount() {
        return rows.size();
    }

    public int rowLength() {
        return seqLen + 1;
    }

    /** Tokens trained on: a row of {@code length} real tokens gives {@code length - 1} predictions. */
    public long trainingTokens() {
        long n = 0;
        for (RowSpans r : rows) {
            n += r.length() - 1;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenBatch b && batchId.equals(b.batchId) && bucket.equals(b.bucket)
                && tokenizer.equals(b.tokenizer) && seqLen == b.seqLen && Arrays.equals(tokens, b.tokens)
                && rows.equals(b.rows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchId, bucket, tokenizer, seqLen, Arrays.hashCode(tokens), rows);
    }

    @Override
    public String toString() {
        return "TokenBatch[" + batchId + ", bucket=" + bucket + ", rows=" + rows.size() + ", seqLen=" + seqLen + "]";
    }
}
