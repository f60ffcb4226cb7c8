package org.millrace.processing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.millrace.common.Json;

/**
 * The versioned classifier models under one directory: {@code v1}, {@code v2}... each holding
 * {@code model.json}, the parameters and {@code report.json}. A version is complete once its
 * directory exists: it is written under a temporary name and renamed.
 */
public final class ClassifierModels {
    public static final String REPORT = "report.json";

    /** A stored model version. */
    public record Version(String name, Path dir, ClassifierReport report) {
    }

    private ClassifierModels() {
    }

    /** Versions in ascending order. */
    public static List<Version> list(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().matches("v[1-9][0-9]*") && Files.isRegularFile(d.resolve(REPORT)))
                    .sorted(Comparator.comparingInt(ClassifierModels::number))
                    .map(d -> new Version(d.getFileName().toString(), d, readReport(d))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list classifier models in " + root, e);
        }
    }

    public static Optional<Version> latest(Path root) {
        List<Version> all = list(root);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The version {@code name} ({@code latest} or {@code vN}), if stored. */
    public static Optional<Version> find(Path root, String name) {
        if (name.equals("latest")) {
            return latest(root);
        }
        return list(root).stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** Name of the version a new model gets. */
    static String next(Path root) {
        return "v" + (list(root).stream().mapToInt(v -> number(v.dir())).max().orElse(0) + 1);
    }

    static ClassifierReport readReport(Path versionDir) {
        try {
            return Json.read(Files.readAllBytes(versionDir.resolve(REPORT)), ClassifierReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + versionDir.resolve(REPORT), e);
        }
    }

    private static int number(Path dir) {
        return Integer.parseInt(dir.getFileName().toString().substring(1));
    }
}
