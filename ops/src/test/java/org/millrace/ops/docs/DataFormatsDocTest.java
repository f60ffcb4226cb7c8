package org.millrace.ops.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.CuratedDocument;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.DocumentKind;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.Rejection;
import org.millrace.common.TokenBatch;
import org.millrace.common.TokenBatchCodec;
import org.millrace.common.TokenBatchSchema;
import org.millrace.common.TrainEvent;
import org.millrace.ops.bench.BenchResults;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;

/** Every example of docs/data-formats.md decodes with the project's own codecs and writes back to the same JSON. */
class DataFormatsDocTest {
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: ([a-z0-9-]+) -->\\s*```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);
    private static Map<String, String> examples;

    @BeforeAll
    static void readPage() throws IOException {
        Path page = ReferenceConfigs.findRoot(Path.of("")).resolve("docs/data-formats.md");
        examples = new LinkedHashMap<>();
        Matcher m = EXAMPLE.matcher(Files.readString(page));
        while (m.find()) {
            examples.put(m.group(1), m.group(2));
        }
        assertEquals(List.of("document", "curated-document", "rejection", "arrow-schema", "token-batch", "train-event",
                "eval-result", "curriculum-update", "checkpoint-manifest", "checkpoint-manifest-v1", "bench-results"),
                List.copyOf(examples.keySet()), "the examples of docs/data-formats.md");
    }

    @Test
    void documentDecodesWithDocumentCodec() throws IOException {
        Document d = DocumentCodec.decode(bytes("document"));
        assertEquals(DocumentKind.TEXTBOOK, d.kind());
        assertEquals(32, d.id().length(), "ids are 16 bytes in hex");
        assertSameJson("document", DocumentCodec.encode(d));
    }

    @Test
    void topicRecordsDecodeWithTheirRecords() throws IOException {
        CuratedDocument curated = Json.read(bytes("curated-document"), CuratedDocument.class);
        assertEquals("textbook", curated.bucket());
        assertSameJson("curated-document", Json.write(curated));
        Rejection rejection = Json.read(bytes("rejection"), Rejection.class);
        assertNull(rejection.score());
        assertSameJson("rejection", Json.write(rejection));
        TrainEvent event = Json.read(bytes("train-event"), TrainEvent.class);
        assertTrue(event.announcesCheckpoint());
        assertSameJson("train-event", Json.write(event));
        EvalResult result = Json.read(bytes("eval-result"), EvalResult.class);
        assertEquals("bits_per_byte", result.metric());
        assertSameJson("eval-result", Json.write(result));
        CurriculumUpdate update = Json.read(bytes("curriculum-update"), CurriculumUpdate.class);
        assertEquals(1200, update.fromStep());
        assertSameJson("curriculum-update", Json.write(update));
    }

    @Test
    void tokenBatchRoundTripsThroughTheArrowCodecWithTheDocumentedSchema() throws IOException {
        JsonNode example = Json.MAPPER.readTree(bytes("token-batch"));
        JsonNode meta = example.get("metadata");
        List<TokenBatch.RowSpans> rows = new ArrayList<>();
        List<Integer> tokens = new ArrayList<>();
        for (JsonNode row : example.get("rows")) {
            row.get("tokens").forEach(t -> tokens.add(t.asInt()));
            rows.add(new TokenBatch.RowSpans(row.get("length").asInt(), strings(row.get("doc_ids")),
                    Json.MAPPER.convertValue(row.get("doc_starts"), int[].class), strings(row.get("doc_sources"))));
        }
        TokenBatch batch = new TokenBatch(meta.get("millrace.batch_id").asText(), meta.get("millrace.bucket").asText(),
                meta.get("millrace.tokenizer").asText(), meta.get("millrace.seq_len").asInt(),
                tokens.stream().mapToInt(Integer::intValue).toArray(), rows);

        Schema schema = TokenBatchSchema.schema(batch);
        assertEquals(examples.get("arrow-schema"), String.join("\n", schema.getFields().stream().map(Field::toString).toList()),
                "the arrow-schema example is the schema Arrow prints for seq_len 4");
        assertEquals(Json.MAPPER.convertValue(meta, Map.class), schema.getCustomMetadata(), "the documented metadata");
        try (BufferAllocator allocator = new RootAllocator();
             TokenBatchCodec.Decoded decoded = TokenBatchCodec.decode(TokenBatchCodec.encode(batch, allocator), allocator)) {
            TokenBatch back = decoded.toTokenBatch();
            assertEquals(batch.rows(), back.rows());
            assertEquals(tokens, java.util.Arrays.stream(back.tokens()).boxed().toList());
            assertEquals(4, decoded.seqLen());
            assertEquals("textbook", decoded.bucket());
        }
    }

    @Test
    void checkpointManifestsReadWithTheCheckpointStore(@TempDir Path dir) throws IOException {
        CheckpointManifest v2 = manifest(dir.resolve("v2"), "checkpoint-manifest");
        assertEquals(CheckpointManifest.VERSION, v2.version());
        assertNotNull(v2.curriculum());
        assertEquals(7L, v2.offsets().get("millrace.batches.textbook:0"));
        assertSameJson("checkpoint-manifest", Json.write(v2));

        CheckpointManifest migrated = manifest(dir.resolve("v1"), "checkpoint-manifest-v1");
        assertEquals(CheckpointManifest.VERSION, migrated.version(), "version 1 is migrated on reading");
        assertEquals(Map.of("millrace.batches.textbook:0", 10L), migrated.offsets(), "offsets carry over");
        assertNull(migrated.curriculum());
        assertEquals(1337L, migrated.seed());
    }

    @Test
    void benchResultsReadWithBenchResults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bench.json");
        Files.write(file, bytes("bench-results"));
        BenchResults results = BenchResults.read(file);
        assertEquals(2, results.figures().size());
        assertEquals(71.5, results.totalSeconds());
        assertSameJson("bench-results", Json.write(results.toJson()));
    }

    private static CheckpointManifest manifest(Path checkpoint, String example) throws IOException {
        Files.createDirectories(checkpoint);
        Files.write(checkpoint.resolve(CheckpointStore.MANIFEST), bytes(example));
        return CheckpointStore.readManifest(checkpoint);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static byte[] bytes(String example) {
        return examples.get(example).getBytes(StandardCharsets.UTF_8);
    }

    /** The codec writes what the page shows: no field of the example is ignored, none is missing. */
    private static void assertSameJson(String example, byte[] written) throws IOException {
        assertEquals(Json.MAPPER.readTree(bytes(example)), Json.MAPPER.readTree(written),
                "docs/data-formats.md example '" + example + "' against what the codec writes");
    }
}
