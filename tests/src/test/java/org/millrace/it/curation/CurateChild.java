package org.millrace.it.curation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code millrace curate} as a child JVM on this test's own class path. Its output goes to a log file
 * (shown when a test fails). {@link #close()} kills it if it still runs: a test always cleans up.
 */
public final class CurateChild implements AutoCloseable {
    private final Process process;
    private final Path log;

    private CurateChild(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static CurateChild start(String bootstrapServers, Path dataDir, Path config, String nodeId, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        command.add("-XX:+UseSerialGC");
        // A child lives for seconds: C1 alone compiles fast and leaves the cores to the work, where C2 would
        // still be compiling when the test kills it (on a busy machine the difference is minutes).
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.millrace.ops.Main");
        command.addAll(List.of("curate", "--bootstrap-servers", bootstrapServers, "--data-dir", dataDir.toString(),
                "--config", config.toString(), "--node-id", nodeId));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new CurateChild(p, log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no drain, whatever transaction is open stays open. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM and wait for the drain; the exit code (143 after a clean shutdown hook run). */
    public int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child " + process.pid() + " did not stop within " + timeoutSeconds
                    + " s of SIGTERM; log:\n" + tail());
        }
        return process.exitValue();
    }

    /** The last lines of the child's output. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
