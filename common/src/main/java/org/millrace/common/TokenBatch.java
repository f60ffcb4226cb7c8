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
     * @param docIds  ids of the documents whose tokens are in the row, in order
     * @param starts  position in the row where each document's tokens start (0 for a continuation)
     * @param sources source of each document
     */
    public record RowSpans(List<String> docIds, int[] starts, List<String> sources) {
        public RowSpans {
            docIds = List.copyOf(docIds);
            sources = List.copyOf(sources);
            if (docIds.size() != starts.length || docIds.size() != sources.size()) {
                throw new IllegalArgumentException("docIds, starts and sources must have one entry per document");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowSpans r && docIds.equals(r.docIds) && Arrays.equals(starts, r.starts)
                    && sources.equals(r.sources);
        }

        @Override
        public int hashCode() {
            return Objects.hash(docIds, Arrays.hashCode(starts), sources);
        }

        @Override
        public String toString() {
            return "RowSpans" + docIds + Arrays.toString(starts);
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

    /** Tokens trained on: every row contributes {@code seqLen} predictions. */
    public long trainingTokens() {
        return (long) rows.size() * seqLen;
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
