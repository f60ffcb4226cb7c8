package org.millrace.producers.corpus.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a package tool (npm, apt-get, dpkg) with a timeout, its output captured in files. */
public final class ToolRunner {
    private final Duration timeout;

    public ToolRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** What a tool printed and how it ended. */
    public record Outcome(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The last non-blank lines of stderr and stdout, for an error message. */
        public String tail() {
            String all = (stderr + "\n" + stdout).strip();
            String[] lines = all.split("\n");
            StringBuilder sb = new StringBuilder();
            for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    sb.append(sb.length() == 0 ? "" : " | ").append(lines[i].strip());
                }
            }
            return sb.toString();
        }
    }

    /**
     * @throws FetchException when the tool is not installed, or does not end in time
     */
    public Outcome run(List<String> command, Path workDir) throws FetchException, IOException {
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "tool", ".out");
        Path err = Files.createTempFile(workDir, "tool", ".err");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new FetchException(command.get(0) + " is not installed or not on the PATH (" + e.getMessage() + ")", e);
            }
            boolean ended;
            try {
                ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new FetchException("interrupted while running " + String.join(" ", command), e);
            }
            if (!ended) {
                p.destroyForcibly();
                throw new FetchException(String.join(" ", command) + " did not end within millrace.corpus.tools.timeout = "
                        + timeout);
            }
            return new Outcome(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
