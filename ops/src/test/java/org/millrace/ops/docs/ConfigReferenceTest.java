package org.millrace.ops.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReferenceTest {
    private static final Path ROOT = ReferenceConfigs.findRoot(Path.of(""));

    @Test
    void committedPageMatchesTheReferenceConfs() throws IOException {
        Path page = ROOT.resolve(ConfigReference.PAGE);
        String expected = ConfigReference.generate(ROOT);
        String committed = Files.isRegularFile(page) ? Files.readString(page) : "";
        if (!expected.equals(committed)) {
            fail(ConfigReference.PAGE + " is out of date with the reference.conf files (" + firstDifference(expected, committed)
                    + "): run `" + ConfigReference.REGENERATE + "` from the source root and commit the page");
        }
    }

    @Test
    void everyKeyOfEveryReferenceConfHasAComment() {
        List<ConfigSetting> settings = ReferenceConfigs.read(ROOT).stream().flatMap(b -> b.settings().stream()).toList();
        assertTrue(settings.size() > 100, "expected the settings of every module, found " + settings.size());
        List<String> missing = settings.stream().filter(s -> s.comment().stream().allMatch(String::isBlank))
                .map(s -> s.module() + "/src/main/resources/reference.conf:" + s.line() + " " + s.path()).toList();
        assertEquals(List.of(), missing, "settings without a comment (put one above each key, or above a group of keys"
                + " written one after the other)");
    }

    @Test
    void readsDefaultsCommentsGroupsMapsAndOverrides(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("reference.conf");
        Files.writeString(conf, """
                # The block.
                millrace.demo {
                  # Where things go.
                  dir = "./x"
                  dir = ${?DEMO_DIR}
                  # Bands and rows of the index.
                  bands = 14
                  rows = 8
                  # Bucket of each kind.
                  bucket-of-kind { web = web, code = code }
                  nested {
                    orphan = 1
                    # A pipe | in a comment.
                    size = 64 MiB
                  }
                }
                """);
        List<ConfigBlock> blocks = ReferenceConfigs.readFile("demo", conf);
        assertEquals(List.of("millrace.demo", "millrace.demo.nested"), blocks.stream().map(ConfigBlock::path).toList());
        List<ConfigSetting> demo = blocks.get(0).settings();
        assertEquals(List.of("dir", "bands", "rows", "bucket-of-kind"), demo.stream().map(ConfigSetting::key).toList());
        assertEquals("\"./x\"", demo.get(0).defaultValue(), "the default, not this machine's environment");
        assertEquals("${?DEMO_DIR}", demo.get(0).override());
        assertEquals(List.of("Bands and rows of the index."), demo.get(2).comment(), "rows shares the comment of bands");
        assertFalse(demo.get(2).ownComment());
        assertEquals("{ code = \"code\", web = \"web\" }", demo.get(3).defaultValue());
        assertEquals(List.of(), blocks.get(1).settings().get(0).comment(), "the first key of a block shares no comment");
        String page = ConfigReference.render(blocks);
        assertTrue(page.contains("| `size` | `\"64 MiB\"` | A pipe \\| in a comment. |"), page);
        assertTrue(page.contains("| `dir` | `\"./x\"` (`${?DEMO_DIR}`) | Where things go. |"), page);
    }

    private static String firstDifference(String expected, String committed) {
        String[] a = expected.split("\n", -1);
        String[] b = committed.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end of page>";
            String y = i < b.length ? b[i] : "<end of page>";
            if (!x.equals(y)) {
                return "line " + (i + 1) + " should be \"" + x + "\" but is \"" + y + "\"";
            }
        }
        return "they differ";
    }
}
