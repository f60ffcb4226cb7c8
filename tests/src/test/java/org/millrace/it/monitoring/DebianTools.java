package org.millrace.it.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Programs from Debian packages that tests run (prometheus, promtool, chromium, chromedriver). Missing
 * ones are installed with apt-get when this user is root (as CI is); otherwise the reason they are
 * missing is returned, for the test to skip with.
 */
public final class DebianTools {
    private DebianTools() {
    }

    /**
     * Makes {@code binaries} present by installing {@code packages} when needed.
     *
     * @return why they cannot be had, or empty when they are there
     */
    public static synchronized Optional<String> ensure(List<String> packages, List<Path> binaries) {
        if (binaries.stream().allMatch(Files::isExecutable)) {
            return Optional.empty();
        }
        if (!isRoot()) {
            return Optional.of(missing(binaries) + " missing, and only root can apt-get install " + String.join(" ", packages));
        }
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
        install.addAll(packages);
        String log = run(install);
        if (!binaries.stream().allMatch(Files::isExecutable)) {
            log = run(List.of("apt-get", "update", "-q")) + run(install); // the package lists may be empty or stale
        }
        if (!binaries.stream().allMatch(Files::isExecutable)) {
            String tail = log.length() > 1500 ? log.substring(log.length() - 1500) : log;
            return Optional.of(missing(binaries) + " still missing after apt-get install " + String.join(" ", packages) + ":\n" + tail);
        }
        return Optional.empty();
    }

    private static String missing(List<Path> binaries) {
        return binaries.stream().filter(b -> !Files.isExecutable(b)).map(Path::toString).toList().toString();
    }

    private static boolean isRoot() {
        return run(List.of("id", "-u")).trim().equals("0");
    }

    private static String run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(); // ends when the process does
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return command.get(0) + ": " + e.getMessage() + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted\n";
        }
    }
}
