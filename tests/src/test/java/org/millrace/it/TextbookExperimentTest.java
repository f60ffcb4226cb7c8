package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Json;
import org.millrace.ops.Main;

/**
 * {@code millrace experiment textbooks} end to end on real documents (the project's own docs and sources,
 * offline) with the tiny model and a tiny budget: four arms train and are evaluated, and results.md,
 * results.json and one plot per task metric agree with each other (four arms, every task, finite numbers).
 */
class TextbookExperimentTest {
    private static final List<String> ARMS = List.of("raw", "filtered", "filtered+synthetic", "adaptive");
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    @Test
    void fourArmsAreTrainedEvaluatedAndReported() throws Exception {
        Path settings = dir.resolve("experiment.conf");
        Files.writeString(settings, """
                # the byte tokenizer and short sequences keep the tiny model fast
                millrace.tokenizer.kind = byte
                millrace.model { context-length = 64, threads = 1 }
                millrace.curation { seq-len = 64, rows-per-batch = 8, revoke-drain-timeout = 1s }
                # the whole chain but the classifier, whose first use fetches its seed sources (it has tests of its own)
                millrace.curation.pipeline = [size, html-extract, normalize, language, gopher-quality, gopher-repetition,
                                              c4-lines, code-quality, pii, dedup, decontaminate]
                millrace.optim { learning-rate = 3e-3, warmup-steps = 5 }
                millrace.experiment { evaluations = 2, synthetic-documents = 150 }
                millrace.curriculum.adaptive { lead-steps = 2, settle = 500ms }
                """);
        Path out = dir.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.execute(new PrintWriter(System.out, true), new PrintWriter(err, true, StandardCharsets.UTF_8),
                "experiment", "textbooks", "--tokens", "10240", "--preset", "tiny", "--seeds", "1", "--out", out.toString(),
                "--data-dir", dir.resolve("data").toString(), "--config", settings.toString(),
                "--documents", Path.of("..").toAbsolutePath().normalize().toString());
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));

        JsonNode json = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        JsonNode runs = json.get("runs");
        assertEquals(4, runs.size());
        Set<String> tasks = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            JsonNode run = runs.get(i);
            assertEquals(ARMS.get(i), run.get("arm").asText());
            assertEquals(20, run.get("steps").asLong(), "10,240 tokens in steps of 8 x 64");
            assertTrue(run.get("tokens").asLong() > 0);
            assertTrue(Double.isFinite(run.get("ms_per_1k_tokens").asDouble()));
            assertFalse(run.get("results").isEmpty(), ARMS.get(i) + " was evaluated");
            for (JsonNode r : run.get("results")) {
                assertTrue(Double.isFinite(r.get("value").asDouble()), r.toString());
                tasks.add(r.get("task").asText() + " " + r.get("metric").asText());
            }
        }
        assertTrue(tasks.contains("heldout_millrace-sources bits_per_byte"), "tasks: " + tasks);
        assertFalse(runs.get(3).get("mixtures").isEmpty(), "the adaptive arm's controller published mixtures");
        assertTrue(runs.get(0).get("mixtures").isEmpty(), "no controller in the raw arm");

        JsonNode table = json.get("table");
        assertEquals(tasks.size() * 4, table.size(), "one cell per arm and task metric");
        Set<String> cells = new HashSet<>();
        for (JsonNode c : table) {
            assertTrue(Double.isFinite(c.get("mean").asDouble()), c.toString());
            cells.add(c.get("arm").asText() + "/" + c.get("task").asText() + " " + c.get("metric").asText());
        }
        for (String arm : ARMS) {
            tasks.forEach(t -> assertTrue(cells.contains(arm + "/" + t), arm + "/" + t));
        }

        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| task | metric | raw | filtered | filtered+synthetic | adaptive |"), md);
        for (String t : tasks) {
            String[] tm = t.split(" ");
            assertTrue(md.contains("| " + tm[0] + " | " + tm[1] + " |"), "row of " + t + " in results.md");
            Path png = out.resolve("plots").resolve(tm[0] + "." + tm[1] + ".png");
            assertTrue(Files.size(png) > 1000, png.toString());
            assertArrayEquals(PNG, Arrays.copyOf(Files.readAllBytes(png), 4), png + " is a PNG");
            assertTrue(md.contains("(plots/" + png.getFileName() + ")"), "results.md shows " + png.getFileName());
        }
    }
}
