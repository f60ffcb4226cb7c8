package org.millrace.ops.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Json;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.Main;
import org.millrace.ops.classifier.MiniCorpus;
import org.millrace.processing.ClassifierModels;
import org.millrace.processing.CurationSettings;

/** {@code run} trains the classifier on first use and reuses it after; the command trains new versions. */
class ClassifierBootstrapTest {
    @TempDir
    Path dir;

    private Config config(List<String> pipeline) {
        return ConfigFactory.parseMap(Map.of("millrace.data-dir", dir.resolve("data").toString(),
                        "millrace.corpus.dir", dir.resolve("corpus").toString(),
                        "millrace.curation.pipeline", pipeline,
                        "millrace.classifier.buckets", 4096, "millrace.classifier.dim", 8,
                        "millrace.classifier.train.epochs", 6, "millrace.classifier.train.batch-size", 16))
                .withFallback(Settings.load(null)).resolve();
    }

    @Test
    void trainsOnFirstUseReusesAfterAndTheCommandAddsAVersion() throws Exception {
        MiniCorpus.write(dir.resolve("corpus"));
        Config config = config(List.of("size", "dedup", "classifier"));
        CurationSettings curation = CurationSettings.fromConfig(config, Topics.fromConfig(config));
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ProgressLine progress = new ProgressLine(new PrintStream(terminal, true, StandardCharsets.UTF_8));

        RunSummary.Classifier first = ClassifierBootstrap.ensure(config, curation, dir.resolve("data"), progress);
        Path v1 = dir.resolve("data/models/classifier/v1");
        assertEquals(v1.toString(), first.model());
        assertTrue(first.f1() > 0.8, "held-out F1 on the mini corpus " + first.f1());
        RunSummary.Classifier again = ClassifierBootstrap.ensure(config, curation, dir.resolve("data"), progress);
        assertEquals(first, again);
        assertTrue(terminal.toString(StandardCharsets.UTF_8).contains("reused"), terminal.toString(StandardCharsets.UTF_8));
        assertEquals(1, ClassifierModels.list(dir.resolve("data/models/classifier")).size());

        Config noClassifier = config(List.of("size"));
        assertNull(ClassifierBootstrap.ensure(noClassifier, CurationSettings.fromConfig(noClassifier, Topics.fromConfig(noClassifier)),
                dir.resolve("data"), progress));

        Path settingsFile = dir.resolve("small.conf");
        Files.writeString(settingsFile, "millrace.classifier { buckets = 4096, dim = 8, train { epochs = 6, batch-size = 16 } }\n");
        int exit = Main.execute("classifier", "train", "--data-dir", dir.resolve("data").toString(), "--corpus",
                dir.resolve("corpus").toString(), "--config", settingsFile.toString());
        assertEquals(0, exit);
        Path report = dir.resolve("data/models/classifier/v2/report.json");
        Map<?, ?> json = Json.read(Files.readAllBytes(report), Map.class);
        for (String field : List.of("precision", "recall", "f1", "roc_auc")) {
            assertTrue(json.get(field) instanceof Number, field + " in " + json);
        }
        assertEquals("v2", ClassifierModels.latest(dir.resolve("data/models/classifier")).orElseThrow().name());
    }
}
