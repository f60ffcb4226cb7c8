package org.millrace.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void everySubcommandHasHelp() {
        CommandLine cli = new CommandLine(new Main());
        assertTrue(cli.getSubcommands().keySet().containsAll(java.util.List.of("run", "broker", "bench")));
        for (String name : cli.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Outcome o = run(name, "--help");
            assertEquals(0, o.code(), name + " --help: " + o.err());
            assertTrue(o.out().contains("Usage: millrace " + name), o.out());
        }
    }

    @Test
    void unknownFlagsAreOneLineErrorsNamingTheFlag() {
        Outcome o = run("run", "--max-stepz", "3");
        assertEquals(2, o.code());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("--max-stepz"), o.err());
    }

    @Test
    void badFlagValuesNameTheFlag() {
        Outcome o = run("run", "--max-steps", "many");
        assertEquals(2, o.code());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("--max-steps"), o.err());
        Outcome zero = run("run", "--max-steps", "0");
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--max-steps must be >= 1"), zero.err());
    }

    @Test
    void invalidSettingsNameKeyValueAndReasonInOneLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "millrace.curation.seq-len = 1\n");
        Outcome o = run("run", "--config", conf.toString(), "--data-dir", dir.resolve("data").toString());
        assertEquals(2, o.code());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("millrace.curation.seq-len = 1 is invalid"), o.err());
        assertTrue(o.err().contains("bad.conf"), "names the file the value came from: " + o.err());
    }

    @Test
    void aMissingConfigFileIsNamed(@TempDir Path dir) {
        Outcome o = run("run", "--config", dir.resolve("nope.conf").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("nope.conf: no such file"), o.err());
    }

    @Test
    void logFileFollowsTheDataDirectory() {
        assertEquals(Path.of("x", "logs", "millrace.log").toString(), Main.logFile(new String[] {"run", "--data-dir", "x"}));
        assertEquals(Path.of("y", "logs", "millrace.log").toString(), Main.logFile(new String[] {"--data-dir=y"}));
    }
}
