package org.millrace.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Json;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;
import org.millrace.processing.tokenizer.Tokenizers;
import org.millrace.serving.TokenizerLoader;
import org.millrace.serving.export.ByteLevelTokenizerJson;

/** Serving finds a checkpoint's tokenizer by the name its manifest records, BPE included. */
class ServingTokenizersTest {

    @Test
    void findsByteOpenAiAndTheConfiguredBpeTokenizerByName(@TempDir Path dataDir) throws Exception {
        Path json = dataDir.resolve("tokenizer/tokenizer.json");
        Files.createDirectories(json.getParent());
        Files.write(json, Json.write(ByteLevelTokenizerJson.create()));
        Config config = ConfigFactory.parseMap(Map.of("millrace.tokenizer.kind", "bpe")).withFallback(Settings.load(null));
        Tokenizer bpe = Tokenizers.fromConfig(config, dataDir);
        TokenizerLoader loader = ServingTokenizers.loader(config, dataDir);
        Path checkpoint = dataDir.resolve("checkpoints/run/step-00000001");

        Tokenizer found = loader.load(bpe.name(), checkpoint);
        assertEquals(bpe.name(), found.name());
        assertArrayEquals(new ByteTokenizer().encode("tokens, byte for byte"), found.encode("tokens, byte for byte"));
        assertEquals(ByteTokenizer.NAME, loader.load(ByteTokenizer.NAME, checkpoint).name());
        Tokenizer r50k = Tokenizers.fromConfig(ConfigFactory.parseMap(Map.of("millrace.tokenizer.kind", "r50k"))
                .withFallback(config), dataDir);
        assertEquals(50257, loader.load(r50k.name(), checkpoint).vocabSize());
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> loader.load("bpe-other", checkpoint));
        assertTrue(unknown.getMessage().contains("bpe-other"), unknown.getMessage());

        assertEquals(json, ServingTokenizers.tokenizerJson(config, dataDir, bpe.name()).orElseThrow());
        assertTrue(ServingTokenizers.tokenizerJson(config, dataDir, "bpe-other").isEmpty());
    }
}
