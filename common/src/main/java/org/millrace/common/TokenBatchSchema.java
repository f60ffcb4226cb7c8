package org.millrace.common;

import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow schema of a token batch (version {@value #VERSION}).
 *
 * <pre>
 * tokens      FixedSizeList&lt;Int32&gt;(seq_len + 1)  not null   packed token ids of the row
 * length      Int32                             not null   real tokens in the row; the rest is padding
 * doc_ids     List&lt;Utf8&gt;                        not null   documents in the row, in order
 * doc_starts  List&lt;Int32&gt;                       not null   where each document starts in the row
 * doc_sources List&lt;Utf8&gt;                        not null   source of each document
 * metadata: millrace.schema_version, millrace.batch_id, millrace.bucket, millrace.tokenizer, millrace.seq_len
 * </pre>
 */
public final class TokenBatchSchema {
    public static final int VERSION = 1;
    public static final String TOKENS = "tokens";
    public static final String LENGTH = "length";
    public static final String DOC_IDS = "doc_ids";
    public static final String DOC_STARTS = "doc_starts";
    public static final String DOC_SOURCES = "doc_sources";
    static final String META_VERSION = "millrace.schema_version";
    static final String META_BATCH_ID = "millrace.batch_id";
    static final String META_BUCKET = "millrace.bucket";
    static final String META_TOKENIZER = "millrace.tokenizer";
    static final String META_SEQ_LEN = "millrace.seq_len";

    private TokenBatchSchema() {
    }

    public static Schema schema(TokenBatch batch) {
        Field item32 = new Field("item", FieldType.notNullable(new ArrowType.Int(32, true)), null);
        Field itemUtf8 = new Field("item", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null);
        List<Field> fields = List.of(
                new Field(TOKENS, FieldType.notNullable(new ArrowType.FixedSizeList(batch.rowLength())), List.of(item32)),
                new Field(LENGTH, FieldType.notNullable(new ArrowType.Int(32, true)), null),
                new Field(DOC_IDS, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(itemUtf8)),
                new Field(DOC_STARTS, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(item32)),
                new Field(DOC_SOURCES, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(itemUtf8)));
        Map<String, String> metadata = Map.of(
                META_VERSION, Integer.toString(VERSION),
                META_BATCH_ID, batch.batchId(),
                META_BUCKET, batch.bucket(),
                META_TOKENIZER, batch.tokenizer(),
                META_SEQ_LEN, Integer.toString(batch.seqLen()));
        return new Schema(fields, metadata);
    }
}
