package org.millrace.it.monitoring;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's promtool: its verdict (exit code and what it printed) on metrics, rules and configs. */
public final class Promtool {
    /** @param exitCode 0 when promtool found no problem */
    public record Verdict(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** {@code promtool check metrics} on an exposition (text format) given on its standard input. */
    public static Verdict checkMetrics(String exposition) throws IOException, InterruptedException {
        return run(exposition, "check", "metrics");
    }

    /** {@code promtool check <what> <files>}, e.g. rules or config. */
    public static Verdict check(String what, String... files) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("check", what));
        args.addAll(List.of(files));
        return run("", args.toArray(String[]::new));
    }

    private static Verdict run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PrometheusServer.PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Verdict(p.exitValue(), out);
    }
}
