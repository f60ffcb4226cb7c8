package org.millrace.producers.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.producers.synth.internal.Exercise;

/** The programmatic generator: reproducible, recorded in metadata, and its answers computed correctly. */
class ProgrammaticSynthTest {
    @TempDir
    Path dir;

    @Test
    void theSameSeedAndIndexGiveTheSameDocumentWithGeneratorSeedAndPromptInMetadata() {
        ProgrammaticSynth a = new ProgrammaticSynth(7, Optional.empty());
        ProgrammaticSynth b = new ProgrammaticSynth(7, Optional.empty());
        for (long i = 0; i < 50; i++) {
            Document d = a.document(i);
            assertEquals(d, b.document(i), "document " + i + " is reproducible");
            assertEquals(Document.stableId(ProgrammaticSynth.SOURCE, "7/" + i), d.id());
            assertEquals(DocumentKind.SYNTHETIC, d.kind());
            assertEquals(ProgrammaticSynth.SOURCE, d.source());
            assertEquals("programmatic", d.metadata().get("generator"));
            assertEquals(7L, d.metadata().get("seed"));
            assertEquals(i, d.metadata().get("index"));
            assertTrue(d.metadata().get("prompt").toString().startsWith("Write a textbook section on "), d.metadata().toString());
            assertTrue(d.text().startsWith("# "), d.text());
        }
        assertNotEquals(a.document(0).text(), new ProgrammaticSynth(8, Optional.empty()).document(0).text());
        assertEquals(List.of("arithmetic", "units", "sequences", "programs"), a.lessons(), "no glossary without WordNet");
    }

    @Test
    void everyLessonAppearsAndDocumentsDiffer() {
        ProgrammaticSynth synth = new ProgrammaticSynth(3, Optional.empty());
        List<Document> docs = synth.documents(0, 400).toList();
        assertEquals(Set.of("arithmetic", "units", "sequences", "programs"),
                docs.stream().map(d -> d.metadata().get("lesson")).collect(Collectors.toSet()));
        assertEquals(400, docs.stream().map(Document::text).distinct().count());
        assertEquals(400, docs.stream().map(Document::id).distinct().count());
    }

    /** Every Python exercise, run by a real Python: it prints exactly the output the document states. */
    @Test
    void pythonExercisesPrintWhatTheirSolutionsSay() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "python3 is needed to run the exercises");
        ProgrammaticSynth synth = new ProgrammaticSynth(11, Optional.empty());
        List<Exercise> programs = new ArrayList<>();
        for (long i = 0; i < 600 && programs.size() < 150; i++) {
            synth.exercises(i).stream().filter(e -> e.code() != null).forEach(programs::add);
        }
        assertTrue(programs.size() >= 100, "programs generated: " + programs.size());
        StringBuilder script = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < programs.size(); i++) {
            script.append("def run_").append(i).append("():\n");
            for (String line : programs.get(i).code().split("\n")) {
                script.append("    ").append(line).append('\n');
            }
            script.append("run_").append(i).append("()\nprint('=== ").append(i).append("')\n");
            expected.append(programs.get(i).output()).append("\n=== ").append(i).append('\n');
        }
        Path file = dir.resolve("exercises.py");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(python.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(expected.toString(), out);
    }

    @Test
    void arithmeticAnswersAreTheOnesTheStepsCompute() {
        ProgrammaticSynth synth = new ProgrammaticSynth(5, Optional.empty());
        int checked = 0;
        for (long i = 0; i < 300; i++) {
            for (Exercise e : synth.exercises(i)) {
                if (e.question().contains("ratio") && e.answer().contains(" gets $")) {
                    // "X gets $a and Y gets $b": the shares add up to the prize in the question
                    long prize = cents(e.question().replaceAll(".*?(\\$[0-9]+\\.[0-9]{2}).*", "$1"));
                    String[] shares = e.answer().replaceAll("[^$0-9. ]", " ").trim().split("\\s+");
                    long sum = 0;
                    for (String s : shares) {
                        if (s.startsWith("$")) {
                            sum += cents(s.replaceAll("\\.$", ""));
                        }
                    }
                    assertEquals(prize, sum, e.toString());
                    checked++;
                }
                if (e.question().contains("change") && e.steps().size() == 2 && e.steps().get(1).startsWith("Change: ")) {
                    String[] parts = e.steps().get(1).substring("Change: ".length()).split(" [−=] ");
                    long paid = cents(parts[0]);
                    long cost = cents(parts[1]);
                    long change = cents(parts[2].replaceAll("\\.$", ""));
                    assertEquals(paid - cost, change, e.toString());
                    checked++;
                }
            }
        }
        assertTrue(checked > 20, "answers checked: " + checked);
    }

    private static long cents(String money) {
        String s = money.trim().replace("$", "");
        return Math.round(Double.parseDouble(s) * 100);
    }
}
