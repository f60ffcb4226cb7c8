package org.millrace.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@code millrace} command in a JVM of its own, on the test's class path, its output in a file: what the
 * fault-injection tests kill (SIGKILL), stop (SIGTERM) and restart. Always {@link #close()}d in a finally block.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final String name;

    private ChildJvm(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code org.millrace.ops.Main args} with the test's class path.
     *
     * @param jvmFlags extra JVM flags (system properties of injected faults)
     */
    static ChildJvm start(String name, Path outputDir, List<String> jvmFlags, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED");
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        cmd.add("-Dai.djl.pytorch.num_threads=1");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.millrace.ops.Main");
        cmd.addAll(List.of(args));
        Path out = outputDir.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        // bitwise-reproducible BLAS whatever the alignment of the arrays, as the surefire JVM has it
        pb.environment().put("MKL_CBWR", "AUTO,STRICT");
        try {
            return new ChildJvm(name, pb.start(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + name, e);
        }
    }

    Process process() {
        return process;
    }

    /** Everything the child printed so far. */
    String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path outputFile() {
        return output;
    }

    /** Waits for the exit code; fails (with the tail of the output) if the child runs past the deadline. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + timeout + "; its output ends:\n" + tail());
        }
        return process.exitValue();
    }

    /** Polls {@code condition} until it holds; fails if the child exits first or the deadline passes. */
    void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before " + what + "; its output ends:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + " from " + name + "; its output ends:\n" + tail());
            }
            Thread.sleep(10);
        }
    }

    /** SIGKILL, and wait until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and wait until it is gone; SIGKILL if it does not stop within {@code grace}. */
    int stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    String tail() {
        String all = output();
        return all.length() <= 4000 ? all : all.substring(all.length() - 4000);
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
