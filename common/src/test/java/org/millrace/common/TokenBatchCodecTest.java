package org.millrace.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class TokenBatchCodecTest {

    static TokenBatch sample(int rows, int seqLen) {
        int[] tokens = new int[rows * (seqLen + 1)];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7919) % 50257;
        }
        var spans = new java.util.ArrayList<TokenBatch.RowSpans>();
        for (int r = 0; r < rows; r++) {
            spans.add(r % 2 == 0
                    ? new TokenBatch.RowSpans(seqLen + 1, List.of("doc-" + r), new int[] {0}, List.of("moby-dick"))
                    : new TokenBatch.RowSpans(r == 3 ? 5 : seqLen + 1, List.of("doc-" + r, "doc-ü" + r), new int[] {0, 3}, List.of("a", "b")));
        }
        return new TokenBatch("b-1", "textbook", "byte-v1", seqLen, tokens, spans);
    }

    @Test
    void roundTripsThroughArrowIpc() {
        TokenBatch batch = sample(5, 16);
        try (BufferAllocator allocator = new RootAllocator()) {
            byte[] ipc = TokenBatchCodec.encode(batch, allocator);
            try (TokenBatchCodec.Decoded decoded = TokenBatchCodec.decode(ipc, allocator)) {
                assertEquals("b-1", decoded.batchId());
                assertEquals("textbook", decoded.bucket());
                assertEquals(16, decoded.seqLen());
                assertEquals(5, decoded.rowCount());
                assertEquals(batch, decoded.toTokenBatch());
                assertEquals(17, decoded.rowLength(0));
                assertEquals(5, decoded.rowLength(3), "a padded row keeps its real length");
            }
            assertEquals(0, allocator.getAllocatedMemory(), "every Arrow buffer is freed");
        }
    }

    @Test
    void tokenBufferIsANativeOrderViewOfArrowMemory() {
        TokenBatch batch = sample(3, 8);
        try (BufferAllocator allocator = new RootAllocator();
             TokenBatchCodec.Decoded decoded = TokenBatchCodec.decode(TokenBatchCodec.encode(batch, allocator), allocator)) {
            ByteBuffer view = decoded.tokenBuffer();
            assertTrue(view.isDirect(), "no heap copy");
            assertEquals(ByteOrder.nativeOrder(), view.order());
            assertEquals(batch.tokens().length * 4, view.remaining());
            for (int i = 0; i < batch.tokens().length; i++) {
                assertEquals(batch.tokens()[i], view.getInt(i * 4));
            }
        }
    }

    @Test
    void rejectsBytesThatAreNotATokenBatch() {
        try (BufferAllocator allocator = new RootAllocator()) {
            InvalidRecordException e = assertThrows(InvalidRecordException.class,
                    () -> TokenBatchCodec.decode("hello".getBytes(), allocator));
            assertTrue(e.getMessage().contains("Arrow"), e.getMessage());
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    @Test
    void validatesShape() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBatch("b", "web", "t", 4, new int[9],
                List.of(new TokenBatch.RowSpans(5, List.of("d"), new int[] {0}, List.of("s")))));
    }
}
