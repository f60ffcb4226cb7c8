package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.TokenBatch;
import org.millrace.common.Tokenizer;

/**
 * The packing contract of the curation stream: per bucket, documents joined by end-of-text fill rows of
 * seq-len + 1 tokens, every row but a bucket's last is full, and each row names the documents (with
 * their start and source) whose tokens it holds.
 */
class SequencePackerInvariantsTest {

    @Test
    void realDocumentsComeBackFromTheRowsJoinedByEndOfText() {
        Tokenizer tokenizer = new ByteTokenizer();
        List<String> texts = List.of("The quick brown fox.", "", "Ünïcödé and emoji 🎉 across rows", "x".repeat(100), "last one");
        List<SequencePacker.Tokenized> docs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            docs.add(new SequencePacker.Tokenized("d" + i, "src" + (i % 2), i % 2 == 0 ? "web" : "code", tokenizer.encode(texts.get(i))));
        }
        List<TokenBatch> batches = new SequencePacker(16, 3, tokenizer.endOfText(), tokenizer.name()).pack(docs, "g");
        Map<String, List<Integer>> streams = new LinkedHashMap<>();
        for (TokenBatch b : batches) {
            assertEquals(tokenizer.name(), b.tokenizer());
            for (int r = 0; r < b.rowCount(); r++) {
                for (int i = 0; i < b.rows().get(r).length(); i++) {
                    streams.computeIfAbsent(b.bucket(), k -> new ArrayList<>()).add(b.tokens()[r * b.rowLength() + i]);
                }
            }
        }
        for (String bucket : streams.keySet()) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                if (docs.get(i).bucket().equals(bucket)) {
                    expected.add(texts.get(i));
                }
            }
            List<String> decoded = new ArrayList<>();
            List<Integer> current = new ArrayList<>();
            for (int id : streams.get(bucket)) {
                if (id == tokenizer.endOfText()) {
                    decoded.add(tokenizer.decode(current.stream().mapToInt(Integer::intValue).toArray()));
                    current.clear();
                } else {
                    current.add(id);
                }
            }
            assertTrue(current.isEmpty(), "every document ends with end-of-text");
            assertEquals(expected, decoded, "bucket " + bucket);
        }
    }

    @Test
    void randomGroupsKeepEveryInvariant() {
        Random random = new Random(2024);
        int eot = 9999;
        for (int round = 0; round < 300; round++) {
            int seqLen = 2 + random.nextInt(20);
            int rowsPerBatch = 1 + random.nextInt(4);
            List<SequencePacker.Tokenized> docs = new ArrayList<>();
            int next = 0;
            for (int d = 0, n = 1 + random.nextInt(12); d < n; d++) {
                int[] tokens = new int[random.nextInt(3 * seqLen)];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = next++;
                }
                docs.add(new SequencePacker.Tokenized("doc" + d, "s" + d, random.nextBoolean() ? "web" : "textbook", tokens));
            }
            SequencePacker packer = new SequencePacker(seqLen, rowsPerBatch, eot, "t");
            List<TokenBatch> batches = packer.pack(docs, "p" + round);
            assertEquals(batches, packer.pack(docs, "p" + round), "a replayed group packs identically");
            checkInvariants(docs, batches, seqLen, rowsPerBatch, eot);
        }
    }

    private static void checkInvariants(List<SequencePacker.Tokenized> docs, List<TokenBatch> batches, int seqLen, int rowsPerBatch,
                                        int eot) {
        Set<String> ids = new HashSet<>();
        Map<String, List<TokenBatch.RowSpans>> rowsOf = new LinkedHashMap<>();
        Map<String, List<int[]>> tokensOf = new LinkedHashMap<>();
        for (TokenBatch b : batches) {
            assertTrue(ids.add(b.batchId()), "batch ids are unique: " + b.batchId());
            assertTrue(b.rowCount() >= 1 && b.rowCount() <= rowsPerBatch);
            assertEquals(seqLen, b.seqLen());
            for (int r = 0; r < b.rowCount(); r++) {
                rowsOf.computeIfAbsent(b.bucket(), k -> new ArrayList<>()).add(b.rows().get(r));
                tokensOf.computeIfAbsent(b.bucket(), k -> new ArrayList<>())
                        .add(java.util.Arrays.copyOfRange(b.tokens(), r * (seqLen + 1), (r + 1) * (seqLen + 1)));
            }
        }
        for (String bucket : rowsOf.keySet()) {
            List<SequencePacker.Tokenized> inBucket = docs.stream().filter(d -> d.bucket().equals(bucket)).toList();
            List<TokenBatch.RowSpans> rows = rowsOf.get(bucket);
            List<int[]> tokens = tokensOf.get(bucket);
            List<Integer> stream = new ArrayList<>();
            List<String> owners = new ArrayList<>();
            for (SequencePacker.Tokenized d : inBucket) {
                for (int t : d.tokens()) {
                    stream.add(t);
                    owners.add(d.docId());
                }
                stream.add(eot);
                owners.add(d.docId());
            }
            int at = 0;
            for (int r = 0; r < rows.size(); r++) {
                TokenBatch.RowSpans row = rows.get(r);
                if (r < rows.size() - 1) {
                    assertEquals(seqLen + 1, row.length(), "only a bucket's last row is padded");
                }
                for (int i = row.length(); i <= seqLen; i++) {
                    assertEquals(eot, tokens.get(r)[i], "padding is end-of-text");
                }
                List<String> expectedIds = new ArrayList<>();
                List<Integer> expectedStarts = new ArrayList<>();
                for (int i = 0; i < row.length(); i++, at++) {
                    assertEquals(stream.get(at), tokens.get(r)[i], "tokens in order");
                    if (i == 0 || !owners.get(at).equals(owners.get(at - 1))) {
                        expectedIds.add(owners.get(at));
                        expectedStarts.add(i);
                    }
                }
                assertEquals(expectedIds, row.docIds(), "documents of row " + r);
                assertEquals(expectedStarts, java.util.Arrays.stream(row.starts()).boxed().toList(), "starts of row " + r);
                for (int j = 0; j < row.docIds().size(); j++) {
                    String id = row.docIds().get(j);
                    String source = inBucket.stream().filter(d -> d.docId().equals(id)).findFirst().orElseThrow().source();
                    assertEquals(source, row.sources().get(j), "source of " + id);
                }
            }
            assertEquals(stream.size(), at, "every token of bucket " + bucket + " is packed once");
        }
    }
}
