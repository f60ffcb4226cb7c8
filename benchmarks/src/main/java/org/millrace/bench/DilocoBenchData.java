package org.millrace.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Document;
import org.millrace.common.TokenBatch;
import org.millrace.ops.run.SeedDocuments;

/** The byte-token batches of {@link DilocoSuite}, and each worker's share of them. */
final class DilocoBenchData {
    private DilocoBenchData() {
    }

    /** The documents' bytes, joined by end-of-text and cut into batches of {@code rows} full rows of context + 1 tokens. */
    static List<TokenBatch> batches(List<Document> docs, String name, String bucket, int rows, int contextLength) {
        ByteTokenizer tokenizer = new ByteTokenizer();
        int len = contextLength + 1;
        List<Integer> stream = new ArrayList<>();
        for (Document d : docs) {
            for (int id : tokenizer.encode(d.text())) {
                stream.add(id);
            }
            stream.add(ByteTokenizer.END_OF_TEXT);
        }
        List<TokenBatch> out = new ArrayList<>();
        int perBatch = rows * len;
        for (int start = 0; start + perBatch <= stream.size(); start += perBatch) {
            int[] tokens = new int[perBatch];
            for (int i = 0; i < perBatch; i++) {
                tokens[i] = stream.get(start + i);
            }
            List<TokenBatch.RowSpans> spans = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                spans.add(new TokenBatch.RowSpans(len, List.of(name), new int[] {0}, List.of(SeedDocuments.SOURCE)));
            }
            out.add(new TokenBatch(name + "-" + out.size(), bucket, ByteTokenizer.NAME, contextLength, tokens, spans));
        }
        return out;
    }

    /**
     * Worker {@code w}'s disjoint share of the training batches: with {@code split}, its rows / workers rows of every
     * batch, in order (the global batch split, as data-parallel training splits it); otherwise every
     * {@code workers}-th whole batch (as partitions p mod workers).
     */
    static List<TokenBatch> share(List<TokenBatch> train, int w, int workers, boolean split, int contextLength) {
        List<TokenBatch> mine = new ArrayList<>();
        if (!split) {
            for (int i = w; i < train.size(); i += workers) {
                mine.add(train.get(i));
            }
            return mine;
        }
        int len = contextLength + 1;
        for (TokenBatch b : train) {
            int rows = b.rowCount() / workers;
            int from = w * rows;
            int[] tokens = Arrays.copyOfRange(b.tokens(), from * len, (from + rows) * len); // (B / workers, T + 1)
            mine.add(new TokenBatch(b.batchId() + "/" + w, b.bucket(), b.tokenizer(), b.seqLen(), tokens,
                    b.rows().subList(from, from + rows)));
        }
        return mine;
    }
}
