package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.millrace.common.TokenBatch;

class SequencePackerTest {
    private static final int EOT = 999;

    private static int[] range(int from, int n) {
        return IntStream.range(from, from + n).toArray();
    }

    @Test
    void everyTokenLandsInExactlyOneRowInOrder() {
        SequencePacker packer = new SequencePacker(7, 2, EOT, "t");
        List<SequencePacker.Tokenized> docs = List.of(
                new SequencePacker.Tokenized("a", "s1", "web", range(0, 5)),
                new SequencePacker.Tokenized("b", "s2", "web", range(100, 12)),
                new SequencePacker.Tokenized("c", "s3", "code", range(200, 3)));
        List<TokenBatch> batches = packer.pack(docs, "g0");
        List<Integer> web = new ArrayList<>();
        List<Integer> code = new ArrayList<>();
        for (TokenBatch b : batches) {
            for (int r = 0; r < b.rowCount(); r++) {
                int len = b.rows().get(r).length();
                for (int i = 0; i < len; i++) {
                    (b.bucket().equals("web") ? web : code).add(b.tokens()[r * 8 + i]);
                }
                for (int i = len; i < 8; i++) {
                    assertEquals(EOT, b.tokens()[r * 8 + i], "padding is end-of-text");
                }
            }
        }
        List<Integer> expectedWeb = new ArrayList<>();
        IntStream.range(0, 5).forEach(expectedWeb::add);
        expectedWeb.add(EOT);
        IntStream.range(100, 112).forEach(expectedWeb::add);
        expectedWeb.add(EOT);
        assertEquals(expectedWeb, web);
        assertEquals(List.of(200, 201, 202, EOT), code);
    }

    @Test
    void rowsRecordDocumentBoundariesAndBatchesHoldRowsPerBatch() {
        SequencePacker packer = new SequencePacker(7, 2, EOT, "t");
        List<TokenBatch> batches = packer.pack(List.of(
                new SequencePacker.Tokenized("a", "s1", "web", range(0, 5)),
                new SequencePacker.Tokenized("b", "s2", "web", range(100, 12))), "g7");
        // 19 tokens with separators → rows of 8: 8, 8, 3 → batches of 2 and 1 rows
        assertEquals(2, batches.size());
        assertEquals("g7-web-0", batches.get(0).batchId());
        assertEquals(2, batches.get(0).rowCount());
        assertEquals(1, batches.get(1).rowCount());
        TokenBatch.RowSpans first = batches.get(0).rows().get(0);
        assertEquals(List.of("a", "b"), first.docIds());
        assertArrayEquals(new int[] {0, 6}, first.starts());
        TokenBatch.RowSpans second = batches.get(0).rows().get(1);
        assertEquals(List.of("b"), second.docIds(), "a continuation starts the row");
        assertArrayEquals(new int[] {0}, second.starts());
        assertEquals(3, batches.get(1).rows().get(0).length());
        assertEquals(7 + 7 + 2, batches.get(0).trainingTokens() + batches.get(1).trainingTokens());
    }
}
