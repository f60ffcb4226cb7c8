package org.millrace.ops.bench;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a suite gets: settings, a scratch directory, connection to a broker, the figures measured so
 * far in this run, and a line printer for progress.
 */
public record BenchContext(Config settings, Path workDir, Map<String, Object> kafka, List<Figure> soFar,
                           Consumer<String> progress) {
    public Optional<Figure> figure(String name) {
        return soFar.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
