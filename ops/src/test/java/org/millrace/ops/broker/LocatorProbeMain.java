package org.millrace.ops.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link BrokerLocator#connectOrStart} in a JVM of its own, as a second {@code millrace} command would,
 * and prints what it found.
 */
public final class LocatorProbeMain {

    private LocatorProbeMain() {
    }

    public static void main(String[] args) {
        try (BrokerHandle handle = BrokerLocator.connectOrStart(BrokerOptions.onFreePort(Path.of(args[0])),
                Duration.ofSeconds(10))) {
            long pid = handle instanceof AttachedBroker attached ? attached.pid() : ProcessHandle.current().pid();
            System.out.println("startedHere=" + handle.startedHere());
            System.out.println("bootstrap=" + handle.bootstrapServers());
            System.out.println("pid=" + pid);
        }
    }

    /** Runs this class in a child JVM on the test class path; returns its output lines (stdout and stderr). */
    static List<String> runInChildJvm(Path dataDir, Duration timeout) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = Files.createTempFile("millrace-locator-probe", ".out");
        try {
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LocatorProbeMain.class.getName(), dataDir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException("the locator probe JVM " + (finished ? "exited with "
                        + process.exitValue() : "did not finish within " + timeout) + ":\n" + String.join("\n", lines));
            }
            return lines;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
