package org.millrace.training.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.millrace.common.TokenBatch;
import org.millrace.common.TokenBatchCodec;

/** The hand-off the trainer makes: Arrow IPC bytes → Arrow buffer → NDArray, without copying on the way. */
class ArrowHandOffTest {

    @Test
    void tokensReachTheNDArrayUnchangedAndArrowMemoryIsFreed() {
        int rows = 4;
        int seqLen = 31;
        int[] tokens = new int[rows * (seqLen + 1)];
        List<TokenBatch.RowSpans> spans = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (int) ((i * 2654435761L) % 50257);
        }
        for (int r = 0; r < rows; r++) {
            spans.add(new TokenBatch.RowSpans(seqLen + 1, List.of("d" + r), new int[] {0}, List.of("s")));
        }
        TokenBatch batch = new TokenBatch("b", "web", "t", seqLen, tokens, spans);
        try (BufferAllocator allocator = new RootAllocator(); NDManager manager = NDManager.newBaseManager()) {
            byte[] ipc = TokenBatchCodec.encode(batch, allocator);
            try (TokenBatchCodec.Decoded decoded = TokenBatchCodec.decode(ipc, allocator)) {
                ByteBuffer view = decoded.tokenBuffer();
                NDArray window = manager.create(view, new Shape(rows, seqLen + 1), DataType.INT32); // (B, T+1)
                NDArray owned = window.toType(DataType.INT64, true); // the copy the model works on
                assertEquals(new Shape(rows, seqLen + 1), window.getShape());
                assertArrayEquals(tokens, window.toIntArray());
                long[] asLong = owned.toLongArray();
                for (int i = 0; i < tokens.length; i++) {
                    assertEquals(tokens[i], asLong[i]);
                }
                window.close();
                owned.close();
            }
            assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory is released when the batch is closed");
        }
    }
}
