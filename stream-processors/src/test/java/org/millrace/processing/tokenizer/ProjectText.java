package org.millrace.processing.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real text for tokenizer tests: the project's own Markdown and main Java sources, in path order. Generated
 * reports (benchmark and experiment results: tables of numbers) are not prose, and left out.
 */
final class ProjectText {
    private ProjectText() {
    }

    static List<String> read(long maxBytes) {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> texts = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                boolean wanted = rel.endsWith(".md") || (rel.endsWith(".java") && rel.contains("/src/main/java/"));
                boolean report = rel.startsWith("docs/experiment-results/") || rel.startsWith("benchmarks/results/");
                if (!wanted || report || rel.contains("target/") || rel.startsWith(".") || rel.contains("/.")) {
                    continue;
                }
                String text = Files.readString(p, StandardCharsets.UTF_8);
                texts.add(text);
                bytes += text.getBytes(StandardCharsets.UTF_8).length;
                if (bytes >= maxBytes) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes < 100_000) {
            throw new IllegalStateException("expected the project's sources under " + root + ", found " + bytes + " bytes");
        }
        return texts;
    }
}
