package org.millrace.common;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/** Arrow IPC stream codec of {@link TokenBatch}: one record batch per Kafka record. */
public final class TokenBatchCodec {
    private TokenBatchCodec() {
    }

    public static byte[] encode(TokenBatch batch, BufferAllocator allocator) {
        int rows = batch.rowCount();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(TokenBatchSchema.schema(batch), allocator)) {
            FixedSizeListVector tokens = (FixedSizeListVector) root.getVector(TokenBatchSchema.TOKENS);
            tokens.allocateNew();
            IntVector tokenData = (IntVector) tokens.getDataVector();
            int[] ids = batch.tokens();
            tokenData.allocateNew(ids.length);
            for (int i = 0; i < ids.length; i++) {
                tokenData.set(i, ids[i]);
            }
            tokenData.setValueCount(ids.length);
            for (int r = 0; r < rows; r++) {
                tokens.setNotNull(r);
            }
            tokens.setValueCount(rows);

            IntVector lengths = (IntVector) root.getVector(TokenBatchSchema.LENGTH);
            lengths.allocateNew(rows);
            ListVector docIds = (ListVector) root.getVector(TokenBatchSchema.DOC_IDS);
            ListVector docStarts = (ListVector) root.getVector(TokenBatchSchema.DOC_STARTS);
            ListVector docSources = (ListVector) root.getVector(TokenBatchSchema.DOC_SOURCES);
            docIds.allocateNew();
            docStarts.allocateNew();
            docSources.allocateNew();
            VarCharVector idData = (VarCharVector) docIds.getDataVector();
            IntVector startData = (IntVector) docStarts.getDataVector();
            VarCharVector sourceData = (VarCharVector) docSources.getDataVector();
            for (int r = 0; r < rows; r++) {
                TokenBatch.RowSpans spans = batch.rows().get(r);
                lengths.set(r, spans.length());
                int at = docIds.startNewValue(r);
                docStarts.startNewValue(r);
                docSources.startNewValue(r);
                int n = spans.docIds().size();
                for (int d = 0; d < n; d++) {
                    idData.setSafe(at + d, spans.docIds().get(d).getBytes(StandardCharsets.UTF_8));
                    startData.setSafe(at + d, spans.starts()[d]);
                    sourceData.setSafe(at + d, spans.sources().get(d).getBytes(StandardCharsets.UTF_8));
                }
                docIds.endValue(r, n);
                docStarts.endValue(r, n);
                docSources.endValue(r, n);
            }
            lengths.setValueCount(rows);
            docIds.setValueCount(rows);
            docStarts.setValueCount(rows);
            docSources.setValueCount(rows);
            root.setRowCount(rows);

            ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4 + 1024);
            try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write token batch " + batch.batchId() + " as Arrow IPC", e);
        }
    }

    /**
     * Reads one batch. The result keeps the Arrow memory alive; close it when done (its token buffer may
     * be aliased by tensors, see {@link Decoded#tokenBuffer()}).
     *
     * @throws InvalidRecordException when the bytes are not a token batch of a known schema version
     */
    public static Decoded decode(byte[] bytes, BufferAllocator allocator) {
        ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(bytes), allocator);
        try {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            Map<String, String> meta = root.getSchema().getCustomMetadata();
            String version = meta == null ? null : meta.get(TokenBatchSchema.META_VERSION);
            if (!Integer.toString(TokenBatchSchema.VERSION).equals(version)) {
                throw new InvalidRecordException("token batch schema version " + version + " is not supported (this build reads "
                        + TokenBatchSchema.VERSION + ")");
            }
            if (!reader.loadNextBatch()) {
                throw new InvalidRecordException("Arrow stream holds no record batch");
            }
            return new Decoded(reader, root, meta);
        } catch (IOException e) {
            closeQuietly(reader);
            throw new InvalidRecordException("not an Arrow IPC token batch: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    private static void closeQuietly(ArrowStreamReader reader) {
        try {
            reader.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** A decoded batch backed by Arrow memory. */
    public static final class Decoded implements AutoCloseable {
        private final ArrowStreamReader reader;
        private final VectorSchemaRoot root;
        private final Map<String, String> meta;

        private Decoded(ArrowStreamReader reader, VectorSchemaRoot root, Map<String, String> meta) {
            this.reader = reader;
            this.root = root;
            this.meta = meta;
        }

        public String batchId() {
            return meta.get(TokenBatchSchema.META_BATCH_ID);
        }

        public String bucket() {
            return meta.get(TokenBatchSchema.META_BUCKET);
        }

        public String tokenizer() {
            return meta.get(TokenBatchSchema.META_TOKENIZER);
        }

        public int seqLen() {
            return Integer.parseInt(meta.get(TokenBatchSchema.META_SEQ_LEN));
        }

        public int rowCount() {
            return root.getRowCount();
        }

        /** Real tokens of row {@code r}; positions from there on are padding. */
        public int rowLength(int r) {
            return ((IntVector) root.getVector(TokenBatchSchema.LENGTH)).get(r);
        }

        /**
         * The token ids as a native-order view of Arrow's buffer, {@code rows × (seqLen + 1)} int32,
         * without a copy. Valid until {@link #close()}.
         */
        public ByteBuffer tokenBuffer() {
            IntVector data = (IntVector) ((FixedSizeListVector) root.getVector(TokenBatchSchema.TOKENS)).getDataVector();
            long bytes = (long) rowCount() * (seqLen() + 1) * Integer.BYTES;
            // Arrow hands out big-endian NIO views; the ints in the buffer are little-endian (native).
            return data.getDataBuffer().nioBuffer(0, Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        }

        /** A heap copy of the whole batch. */
        public TokenBatch toTokenBatch() {
            int rows = rowCount();
            int len = seqLen() + 1;
            int[] tokens = new int[rows * len];
            tokenBuffer().asIntBuffer().get(tokens);
            ListVector docIds = (ListVector) root.getVector(TokenBatchSchema.DOC_IDS);
            ListVector docStarts = (ListVector) root.getVector(TokenBatchSchema.DOC_STARTS);
            ListVector docSources = (ListVector) root.getVector(TokenBatchSchema.DOC_SOURCES);
            VarCharVector idData = (VarCharVector) docIds.getDataVector();
            IntVector startData = (IntVector) docStarts.getDataVector();
            VarCharVector sourceData = (VarCharVector) docSources.getDataVector();
            IntVector lengths = (IntVector) root.getVector(TokenBatchSchema.LENGTH);
            List<TokenBatch.RowSpans> spans = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                int from = docIds.getElementStartIndex(r);
                int to = docIds.getElementEndIndex(r);
                List<String> ids = new ArrayList<>(to - from);
                List<String> sources = new ArrayList<>(to - from);
                int[] starts = new int[to - from];
                for (int i = from; i < to; i++) {
                    ids.add(new String(idData.get(i), StandardCharsets.UTF_8));
                    sources.add(new String(sourceData.get(i), StandardCharsets.UTF_8));
                    starts[i - from] = startData.get(i);
                }
                spans.add(new TokenBatch.RowSpans(lengths.get(r), ids, starts, sources));
            }
            return new TokenBatch(batchId(), bucket(), tokenizer(), seqLen(), tokens, spans);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
