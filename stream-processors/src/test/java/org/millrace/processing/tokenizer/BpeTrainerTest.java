package org.millrace.processing.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Json;

/** A 512-token BPE trained on the project's own text, loaded and applied by the Hugging Face library. */
class BpeTrainerTest {
    private static List<String> texts;
    private static BpeTrainer.Trained trained;

    @BeforeAll
    static void train() {
        texts = ProjectText.read(1_500_000);
        trained = new BpeTrainer(512, 2, 2).train(texts);
    }

    @Test
    void theLibraryLoadsItAndEncodesAsTrainingPredicted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, trained.json());
        try (HfBpeTokenizer tokenizer = HfBpeTokenizer.load(file)) {
            assertEquals(512, tokenizer.vocabSize());
            assertEquals(511, tokenizer.endOfText(), "end-of-text comes after the learned tokens");
            assertTrue(tokenizer.name().matches("bpe-512-[0-9a-f]{6}"), tokenizer.name());
            long tokens = 0;
            for (String text : texts) {
                int[] ids = tokenizer.encode(text);
                tokens += ids.length;
                assertEquals(text, tokenizer.decode(ids));
                assertTrue(Arrays.stream(ids).allMatch(id -> id >= 0 && id < 511), "ids within the learned vocabulary");
            }
            // The library splits words with its own regex engine and applies merges by rank: the same
            // tokens as training counted means both agree on words and on merges. Applying merges by rank
            // can differ from the order they were learned in on rare words (a later merge whose pair
            // only appears after an earlier one), so allow one token in ten thousand.
            assertEquals(trained.sampleTokens(), tokens, trained.sampleTokens() * 1e-4,
                    "tokens the library makes of the training text");
        }
    }

    @Test
    void compressesBetterThanBytes() {
        // 512 tokens roughly halve this text (0.49-0.50 tokens per byte as the repository grew: its mix of
        // prose, tables and Java moves the figure); a trainer that learns useless merges stays near 1.
        assertTrue(trained.tokensPerByte() < 0.55, "tokens per byte " + trained.tokensPerByte());
        assertEquals(512, trained.vocabSize());
        assertEquals(512 - 257, trained.merges(), "one merge per token (no two merges made the same bytes here)");
    }

    @Test
    void trainingIsDeterministicWhateverTheThreads() {
        BpeTrainer.Trained again = new BpeTrainer(512, 2, 1).train(texts);
        assertEquals(trained.json(), again.json());
    }

    @Test
    void theFileHasTheShapeOfAHuggingFaceByteLevelBpe() throws Exception {
        JsonNode root = Json.MAPPER.readTree(trained.json());
        assertEquals("ByteLevel", root.at("/pre_tokenizer/type").asText());
        assertFalse(root.at("/pre_tokenizer/add_prefix_space").asBoolean());
        assertEquals("ByteLevel", root.at("/decoder/type").asText());
        assertEquals("BPE", root.at("/model/type").asText());
        assertEquals("<|endoftext|>", root.at("/added_tokens/0/content").asText());
        assertTrue(root.at("/added_tokens/0/special").asBoolean());
        assertEquals(512, root.at("/model/vocab").size());
        assertEquals(0x21, root.at("/model/vocab/!").asInt(), "id of a byte is its value; 0x21 shows as itself");
        assertEquals(32, root.at("/model/vocab/\u0120").asInt(), "space shows as U+0120");
        assertEquals(trained.merges(), root.at("/model/merges").size());
    }

    @Test
    void aSmallSampleStopsAtTheMinimumFrequency() {
        BpeTrainer.Trained small = new BpeTrainer(8192, 2, 1).train(List.of("abab abab abab cd"));
        assertTrue(small.vocabSize() < 300, "vocabulary " + small.vocabSize());
        assertTrue(small.sampleTokens() < "abab abab abab cd".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void rejectsVocabulariesWithoutRoomForTheBytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(256, 2, 1));
        assertTrue(e.getMessage().contains("got 256"), e.getMessage());
    }
}
