package org.millrace.ops.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.ops.Main;

class DocsCommandTest {
    private static final Path ROOT = ReferenceConfigs.findRoot(Path.of(""));

    @Test
    void docsConfigAndDocsBenchWriteTheGeneratedPages(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("configuration.md");
        assertEquals(0, Main.execute("docs", "config", "--root", ROOT.toString(), "--out", config.toString()));
        assertEquals(ConfigReference.generate(ROOT), Files.readString(config));

        Path results = dir.resolve("bench-2030-01-01.json");
        Files.writeString(results, """
                {"machine": {"cores": 2}, "figures": [{"name": "kafka.produce.mb_per_s", "value": 1.5, "unit": "MB/s",
                 "goal": 1.0, "higher_is_better": true}]}""");
        Path bench = dir.resolve("benchmarks.md");
        assertEquals(0, Main.execute("docs", "bench", "--root", ROOT.toString(), "--results", results.toString(), "--out", bench.toString()));
        assertTrue(Files.readString(bench).contains("| `kafka.produce.mb_per_s` | 1.5 | MB/s | ≥ 1 | yes |"), Files.readString(bench));
    }

    @Test
    void aRootWithoutModulesIsRefusedNamingIt(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "docs", "config", "--root", dir.toString(), "--out", dir.resolve("x.md").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("no Maven root") && err.toString().contains(dir.toString()), err.toString());
    }
}
