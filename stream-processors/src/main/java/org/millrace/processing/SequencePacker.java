package org.millrace.processing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millrace.common.TokenBatch;

/**
 * Packs tokenized documents into rows of {@code seqLen + 1} tokens, documents joined by the end-of-text
 * token, rows grouped into batches of {@code rowsPerBatch}, one bucket at a time.
 *
 * <p>The packer is flushed at the end of every group of documents that is committed in one Kafka
 * transaction: the last row of each bucket is padded (its {@code length} says where). Carrying a
 * partial row over to the next transaction would tie a committed offset to tokens not yet written,
 * and a crash in between would lose or repeat them; padding a few rows per transaction costs far less.
 */
public final class SequencePacker {

    /** A document's tokens, without the end-of-text separator. */
    public record Tokenized(String docId, String source, String bucket, int[] tokens) {
    }

    private final int seqLen;
    private final int rowsPerBatch;
    private final int endOfText;
    private final String tokenizer;

    public SequencePacker(int seqLen, int rowsPerBatch, int endOfText, String tokenizer) {
        if (seqLen < 2) {
            throw new IllegalArgumentException("millrace.curation.seq-len must be >= 2 (got " + seqLen + ")");
        }
        if (rowsPerBatch < 1) {
            throw new IllegalArgumentException("millrace.curation.rows-per-batch must be >= 1 (got " + rowsPerBatch + ")");
        }
        this.seqLen = seqLen;
        this.rowsPerBatch = rowsPerBatch;
        this.endOfText = endOfText;
        this.tokenizer = tokenizer;
    }

    /**
     * Packs one group. Batch ids are {@code idPrefix-bucket-n}, so a replayed group gets the same ids.
     */
    public List<TokenBatch> pack(List<Tokenized> documents, String idPrefix) {
        Map<String, List<Tokenized>> byBucket = new LinkedHashMap<>();
        for (Tokenized d : documents) {
            byBucket.computeIfAbsent(d.bucket(), b -> new ArrayList<>()).add(d);
        }
        List<TokenBatch> out = new ArrayList<>();
        byBucket.forEach((bucket, docs) -> packBucket(bucket, docs, idPrefix, out));
        return out;
    }

    private void packBucket(String bucket, List<Tokenized> docs, String idPrefix, List<TokenBatch> out) {
        int rowLen = seqLen + 1;
        List<int[]> rows = new ArrayList<>();
        List<TokenBatch.RowSpans> spans = new ArrayList<>();
        int[] row = new int[rowLen];
        int fill = 0;
        List<String> ids = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Tokenized d : docs) {
            int[] t = Arrays.copyOf(d.tokens(), d.tokens().length + 1);
            t[t.length - 1] = endOfText;
            int at = 0;
            while (at < t.length) {
                if (at == 0 || fill == 0) { // a document starts, or runs on into a new row
                    ids.add(d.docId());
                    starts.add(fill);
                    sources.add(d.source());
                }
                int n = Math.min(rowLen - fill, t.length - at);
                System.arraycopy(t, at, row, fill, n);
                fill += n;
                at += n;
                if (fill == rowLen) {
                    rows.add(row);
                    spans.add(new TokenBatch.RowSpans(rowLen, ids, starts.stream().mapToInt(i -> i).toArray(), sources));
                    row = new int[rowLen];
                    fill = 0;
                    ids = new ArrayList<>();
                    starts = new ArrayList<>();
                    sources = new ArrayList<>();
                }
            }
        }
        if (fill > 0) {
            Arrays.fill(row, fill, rowLen, endOfText);
            rows.add(row);
            spans.add(new TokenBatch.RowSpans(fill, ids, starts.stream().mapToInt(i -> i).toArray(), sources));
        }
        for (int from = 0, n = 0; from < rows.size(); from += rowsPerBatch, n++) {
            int to = Math.min(rows.size(), from + rowsPerBatch);
            int[] tokens = new int[(to - from) * rowLen];
            for (int r = from; r < to; r++) {
                System.arraycopy(rows.get(r), 0, tokens, (r - from) * rowLen, rowLen);
            }
            out.add(new TokenBatch(idPrefix + "-" + bucket + "-" + n, bucket, tokenizer, seqLen, tokens,
                    spans.subList(from, to)));
        }
    }
}
