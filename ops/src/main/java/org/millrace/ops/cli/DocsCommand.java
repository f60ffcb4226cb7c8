package org.millrace.ops.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.millrace.ops.docs.BenchmarkReference;
import org.millrace.ops.docs.ConfigReference;
import org.millrace.ops.docs.ReferenceConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code millrace docs}: regenerates the generated pages of docs/ from the sources. */
@Command(name = "docs", mixinStandardHelpOptions = true,
        description = "Regenerate the generated pages of docs/ (configuration reference, benchmark table).",
        subcommands = {DocsCommand.Config.class, DocsCommand.Bench.class})
public final class DocsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "name a page: millrace docs config | millrace docs bench");
    }

    /** The source root: --root, else the millrace.home bin/millrace sets, else the working directory's tree. */
    static Path root(Path option) {
        if (option != null) {
            return ReferenceConfigs.findRoot(option);
        }
        return ReferenceConfigs.findRoot(Path.of(System.getProperty("millrace.home", ".")));
    }

    static void write(Path file, String text) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }

    /** {@code millrace docs config}. */
    @Command(name = "config", mixinStandardHelpOptions = true,
            description = "Write docs/configuration.md from every module's reference.conf.")
    static final class Config implements Callable<Integer> {
        @Option(names = "--root", paramLabel = "DIR", description = "Source root (default: the tree bin/millrace runs from).")
        Path rootDir;

        @Option(names = "--out", paramLabel = "FILE", description = "Page to write (default: <root>/docs/configuration.md).")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path root = root(rootDir);
            write(out != null ? out : root.resolve(ConfigReference.PAGE), ConfigReference.generate(root));
            return 0;
        }
    }

    /** {@code millrace docs bench}. */
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Write docs/benchmarks.md from the latest benchmarks/results/bench-*.json.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--root", paramLabel = "DIR", description = "Source root (default: the tree bin/millrace runs from).")
        Path rootDir;

        @Option(names = "--results", paramLabel = "FILE", description = "Results file (default: the latest bench-*.json of <root>/benchmarks/results).")
        Path results;

        @Option(names = "--out", paramLabel = "FILE", description = "Page to write (default: <root>/docs/benchmarks.md).")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path root = root(rootDir);
            Path file = results != null ? results : BenchmarkReference.latest(root.resolve(BenchmarkReference.RESULTS));
            write(out != null ? out : root.resolve(BenchmarkReference.PAGE), BenchmarkReference.generate(root, file));
            return 0;
        }
    }
}
