package org.millrace.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.TokenBatch;

class DilocoBenchDataTest {
    private static final int CONTEXT = 7; // rows of 8 tokens

    private static List<TokenBatch> train() {
        StringBuilder text = new StringBuilder();
        IntStream.range(0, 400).forEach(i -> text.append((char) ('a' + i % 26)));
        Document doc = Document.of("d1", text.toString(), "test", DocumentKind.WEB);
        return DilocoBenchData.batches(List.of(doc), "train", "text", 4, CONTEXT);
    }

    @Test
    void theSplitSharesTileEveryGlobalBatchInOrder() {
        List<TokenBatch> train = train();
        List<TokenBatch> w0 = DilocoBenchData.share(train, 0, 2, true, CONTEXT);
        List<TokenBatch> w1 = DilocoBenchData.share(train, 1, 2, true, CONTEXT);
        assertEquals(train.size(), w0.size());
        assertEquals(train.size(), w1.size());
        for (int i = 0; i < train.size(); i++) {
            assertEquals(2, w0.get(i).rowCount());
            int[] joined = new int[train.get(i).tokens().length];
            System.arraycopy(w0.get(i).tokens(), 0, joined, 0, w0.get(i).tokens().length);
            System.arraycopy(w1.get(i).tokens(), 0, joined, w0.get(i).tokens().length, w1.get(i).tokens().length);
            assertArrayEquals(train.get(i).tokens(), joined, "batch " + i + ": worker 0's rows then worker 1's");
        }
    }

    @Test
    void wholeSharesTakeEveryOtherBatch() {
        List<TokenBatch> train = train();
        List<TokenBatch> all = new ArrayList<>(DilocoBenchData.share(train, 0, 2, false, CONTEXT));
        List<TokenBatch> w1 = DilocoBenchData.share(train, 1, 2, false, CONTEXT);
        assertEquals(train.get(1), w1.get(0));
        all.addAll(w1);
        assertEquals(train.size(), all.size());
        assertEquals(train.size(), all.stream().distinct().count(), "disjoint");
    }
}
