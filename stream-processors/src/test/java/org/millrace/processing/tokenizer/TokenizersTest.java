package org.millrace.processing.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;

class TokenizersTest {
    @TempDir
    Path dataDir;

    private static Config config(Map<String, Object> settings) {
        return ConfigFactory.parseMap(settings).withFallback(Settings.load(null)).resolve();
    }

    @Test
    void byteKind() {
        Tokenizer t = Tokenizers.fromConfig(config(Map.of("millrace.tokenizer.kind", "byte")), dataDir);
        assertEquals("byte-v1", t.name());
        assertEquals(257, t.vocabSize());
        assertEquals(256, t.endOfText());
    }

    @Test
    void openAiEncodingsGiveTheirKnownIds() {
        Tokenizer r50k = Tokenizers.fromConfig(config(Map.of("millrace.tokenizer.kind", "r50k")), dataDir);
        assertEquals("r50k_base", r50k.name());
        assertArrayEquals(new int[] {31373, 995}, r50k.encode("hello world"));
        assertEquals(50256, r50k.endOfText());
        assertEquals(50257, r50k.vocabSize());
        Tokenizer cl100k = Tokenizers.fromConfig(config(Map.of("millrace.tokenizer.kind", "cl100k")), dataDir);
        assertEquals("cl100k_base", cl100k.name());
        assertArrayEquals(new int[] {15339, 1917}, cl100k.encode("hello world"));
        assertEquals(100257, cl100k.endOfText());
        assertEquals("hello world", cl100k.decode(new int[] {15339, 100257, 1917}), "end-of-text decodes to nothing");
    }

    @Test
    void bpeLoadsFromTheDataDirectoryOrTheConfiguredPath() throws Exception {
        String json = new BpeTrainer(300, 2, 1).train(List.of("the cat sat on the mat; the cat sat on the hat")).json();
        Path inDataDir = dataDir.resolve(TokenizerSettings.DEFAULT_FILE);
        Files.createDirectories(inDataDir.getParent());
        Files.writeString(inDataDir, json);
        Tokenizer t = Tokenizers.fromConfig(config(Map.of("millrace.tokenizer.kind", "bpe")), dataDir);
        int vocab = t.vocabSize();
        assertTrue(t.name().startsWith("bpe-" + vocab + "-"), t.name());
        assertEquals(vocab - 1, t.endOfText());
        assertTrue(t.encode(" the cat").length < " the cat".length(), "merges apply");

        Path elsewhere = dataDir.resolve("elsewhere.json");
        Files.writeString(elsewhere, json);
        Tokenizer same = Tokenizers.fromConfig(config(Map.of("millrace.tokenizer.kind", "bpe", "millrace.tokenizer.path",
                elsewhere.toString())), dataDir.resolve("nowhere"));
        assertEquals(t.name(), same.name(), "the name is a function of the file");
    }

    @Test
    void aMissingBpeFileSaysHowToMakeOne() {
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class,
                () -> Tokenizers.fromConfig(config(Map.of("millrace.tokenizer.kind", "bpe")), dataDir));
        assertTrue(e.getMessage().startsWith("millrace.tokenizer.kind = bpe is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains(dataDir.resolve("tokenizer/tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("millrace tokenizer train"), e.getMessage());
    }

    @Test
    void badSettingsAreNamed() {
        Settings.SettingsException kind = assertThrows(Settings.SettingsException.class,
                () -> Tokenizers.fromConfig(config(Map.of("millrace.tokenizer.kind", "wordpiece")), dataDir));
        assertTrue(kind.getMessage().startsWith("millrace.tokenizer.kind = \"wordpiece\" is invalid"), kind.getMessage());
        Settings.SettingsException vocab = assertThrows(Settings.SettingsException.class,
                () -> TokenizerSettings.fromConfig(config(Map.of("millrace.tokenizer.vocab-size", 100)), dataDir));
        assertTrue(vocab.getMessage().startsWith("millrace.tokenizer.vocab-size = 100 is invalid"), vocab.getMessage());
    }

    @Test
    void aFileThatIsNoBpeTokenizerIsRefusedWithItsName() throws Exception {
        Path bad = dataDir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfBpeTokenizer.load(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("WordPiece"), e.getMessage());
    }
}
