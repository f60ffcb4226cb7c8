package org.millrace.ops.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.RunTokenizer;
import org.millrace.ops.run.SeedDocuments;

/** {@code millrace run} trains its BPE tokenizer on first use and reuses it after. */
class RunTokenizerTest {
    @TempDir
    Path dataDir;

    private static Config config(String kind) {
        return ConfigFactory.parseMap(Map.of("millrace.tokenizer.kind", kind, "millrace.tokenizer.vocab-size", 320,
                "millrace.tokenizer.train.run-sample-bytes", "300kB")).withFallback(Settings.load(null)).resolve();
    }

    @Test
    void trainsOnceOnTheRunsDocumentsThenReuses() throws Exception {
        List<Document> documents = SeedDocuments.read(Path.of("..").toAbsolutePath().normalize());
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ProgressLine progress = new ProgressLine(new PrintStream(terminal, true));

        Tokenizer first = RunTokenizer.obtain(config("bpe"), dataDir, documents, progress);
        Path file = dataDir.resolve("tokenizer/tokenizer.json");
        assertTrue(Files.isRegularFile(file));
        assertEquals(320, first.vocabSize());
        assertTrue(terminal.toString().contains("trained " + first.name()), terminal.toString());

        FileTime written = Files.getLastModifiedTime(file);
        Tokenizer second = RunTokenizer.obtain(config("bpe"), dataDir, List.of(), progress);
        assertEquals(first.name(), second.name(), "the second run uses the first run's tokenizer");
        assertEquals(written, Files.getLastModifiedTime(file));
        String text = documents.get(0).text();
        assertEquals(text, second.decode(second.encode(text)));
    }

    @Test
    void otherKindsNeedNoTraining() {
        ProgressLine progress = new ProgressLine(new PrintStream(new ByteArrayOutputStream(), true));
        Tokenizer t = RunTokenizer.obtain(config("byte"), dataDir, List.of(), progress);
        assertEquals("byte-v1", t.name());
        assertFalse(Files.exists(dataDir.resolve("tokenizer")));
    }
}
