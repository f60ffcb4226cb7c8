package org.millrace.ops.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.ops.bench.BenchResults;
import org.millrace.ops.bench.BenchSummaryChart;
import org.millrace.ops.bench.Figure;

class BenchmarkReferenceTest {
    private static final Path ROOT = ReferenceConfigs.findRoot(Path.of(""));

    @Test
    void latestResultsParseAndTheCommittedPageIsGeneratedFromThem() throws IOException {
        Path latest = BenchmarkReference.latest(ROOT.resolve(BenchmarkReference.RESULTS));
        BenchResults results = BenchResults.read(latest);
        assertFalse(results.figures().isEmpty(), latest + " holds no figures");
        assertTrue(results.machine().containsKey("cores"), latest + " describes no machine");
        Path page = ROOT.resolve(BenchmarkReference.PAGE);
        String expected = BenchmarkReference.generate(ROOT, latest);
        if (!Files.isRegularFile(page) || !expected.equals(Files.readString(page))) {
            fail(BenchmarkReference.PAGE + " is not generated from " + ROOT.relativize(latest)
                    + ": run `bin/millrace docs bench` from the source root and commit the page");
        }
        for (Figure f : results.figures()) {
            assertTrue(expected.contains("| `" + f.name() + "` | " + BenchmarkReference.number(f.value()) + " | "),
                    "the page has a row for " + f.name());
        }
    }

    @Test
    void tableSaysWhichGoalsAreMetAndChartDrawsThem(@TempDir Path dir) throws IOException {
        BenchResults results = new BenchResults(Map.of("cores", 2), "quiet", List.of(new BenchResults.SuiteTime("train", 75)),
                75.0, List.of(new Figure("train.feed_vs_memory", 0.985, "ratio", 0.97, true),
                new Figure("train.data_wait_fraction", 0.02, "fraction", 0.01, false),
                new Figure("kafka.produce.mb_per_s", 123456.5, "MB/s", null, true)));
        String md = BenchmarkReference.summary(results);
        assertTrue(md.contains("| `train.feed_vs_memory` | 0.985 | ratio | ≥ 0.97 | yes |"), md);
        assertTrue(md.contains("| `train.data_wait_fraction` | 0.02 | fraction | ≤ 0.01 | **no** |"), md);
        assertTrue(md.contains("| `kafka.produce.mb_per_s` | 123,457 | MB/s |  |  |"), md);
        assertTrue(md.contains("1 of 2 goals met"), md);
        assertTrue(md.contains("The run took 1 min 15 s (train 1 min 15 s)."), md);

        Path png = dir.resolve("bench.png");
        assertTrue(BenchSummaryChart.write(results, png));
        assertTrue(ImageIO.read(png.toFile()).getWidth() >= 640, "a PNG image");
        assertEquals(50.0, BenchSummaryChart.percentOfGoal(results.figures().get(1)), 1e-9, "lower is better: goal / value");
    }

    @Test
    void aFailedSuiteIsKeptInTheFileAndNamedInTheSummary(@TempDir Path dir) throws IOException {
        BenchResults results = new BenchResults(Map.of("cores", 2), null,
                List.of(new BenchResults.SuiteTime("kafka", 20), new BenchResults.SuiteTime("serve", 3, "IllegalStateException: no checkpoint")),
                23.0, List.of(new Figure("kafka.produce.mb_per_s", 30, "MB/s", null, true)));
        Path file = dir.resolve("bench-x.json");
        results.write(file);
        BenchResults back = BenchResults.read(file);
        assertEquals(results.suites(), back.suites());
        assertTrue(BenchmarkReference.summary(back).contains("Suite `serve` failed, its figures are missing: IllegalStateException: no checkpoint"),
                BenchmarkReference.summary(back));
    }

    @Test
    void resultsWithoutFiguresAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bench-x.json");
        Files.writeString(file, "{\"machine\": {}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchResults.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("figures"), e.getMessage());
    }
}
