package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.millrace.common.Json;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.ops.bench.MachineInfo;
import org.millrace.ops.bench.SoakRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace bench}: measures every figure of the benchmark suites in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure throughput figures (Kafka, DJL, ...) in one run and print them as a table.",
                "Figures of one run are measured on the same machine at the same time: compare ratios between them.",
                "With --soak MINUTES: run curation and training at full speed on an embedded broker of its own for",
                "MINUTES, sampling heap, resident and native memory, Arrow and DJL memory and throughput; write",
                "the samples and each one's growth per hour as JSON, with a PNG plot next to it."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures and the machine's description as JSON.")
    Path json;

    @Option(names = "--only", paramLabel = "PREFIX", description = "Run only the suites whose figures start with PREFIX (e.g. kafka).")
    String only;

    @Option(names = "--soak", paramLabel = "MINUTES", description = "Run the soak for MINUTES (fractions allowed) instead of the suites.")
    Double soakMinutes;

    @Option(names = "--soak-sample", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between two samples of the soak (default: ${DEFAULT-VALUE}).")
    double soakSampleSeconds;

    @Override
    public Integer call() throws Exception {
        Config config = options.settings();
        Path dataDir = CommonOptions.dataDir(config);
        if (soakMinutes != null) {
            return soak(config, dataDir);
        }
        List<BenchSuite> suites = new ArrayList<>();
        ServiceLoader.load(BenchSuite.class).forEach(suites::add);
        suites.sort(Comparator.comparingInt(BenchSuite::order).thenComparing(BenchSuite::prefix));
        if (only != null) {
            suites.removeIf(s -> !s.prefix().startsWith(only) && !only.startsWith(s.prefix()));
        }
        if (suites.isEmpty()) {
            throw new IllegalArgumentException(only == null
                    ? "no benchmark suites on the class path (run through bin/millrace, which includes the benchmarks module)"
                    : "--only " + only + " matches no benchmark suite");
        }
        List<Figure> figures = new ArrayList<>();
        Path work = Files.createTempDirectory("millrace-bench");
        try (KafkaConnection kafka = KafkaConnection.open(config, dataDir)) {
            for (BenchSuite suite : suites) {
                System.out.println("measuring " + suite.prefix() + " ...");
                BenchContext ctx = new BenchContext(config, work, kafka.clientProperties(), List.copyOf(figures),
                        line -> System.out.println("  " + line));
                for (Figure f : suite.run(ctx)) {
                    if (only == null || f.name().startsWith(only) || only.startsWith(suite.prefix())) {
                        figures.add(f);
                    }
                }
            }
        }
        printTable(figures);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", MachineInfo.describe());
        out.put("figures", figures.stream().map(BenchCommand::asJson).toList());
        if (json != null) {
            write(json, out);
            System.out.println("wrote " + json);
        }
        // The trainer measures MFU against djl.matmul.gflops of this file (millrace.trainer.bench-results).
        Path latest = dataDir.resolve(config.getString("millrace.trainer.bench-results"));
        write(latest, withEarlierFigures(latest, out, figures));
        return 0;
    }

    private int soak(Config config, Path dataDir) throws Exception {
        if (!(soakMinutes > 0)) {
            throw new IllegalArgumentException("--soak must be a positive number of minutes (got " + soakMinutes + ")");
        }
        if (!(soakSampleSeconds >= 0.5)) {
            throw new IllegalArgumentException("--soak-sample must be at least 0.5 seconds (got " + soakSampleSeconds + ")");
        }
        SoakRunner runner = ServiceLoader.load(SoakRunner.class).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no soak on the class path (run through bin/millrace, which includes the benchmarks module)"));
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = json != null ? json : dataDir.resolve("bench").resolve("soak-" + stamp + ".json");
        Path work = dataDir.resolve("soak-work").resolve(stamp);
        runner.run(new SoakRunner.Request(config, work, java.time.Duration.ofMillis(Math.round(soakMinutes * 60_000)),
                java.time.Duration.ofMillis(Math.round(soakSampleSeconds * 1000)), out, System.out::println));
        return 0;
    }

    /** Figures of an earlier run that this one (e.g. with --only) did not measure are kept. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withEarlierFigures(Path latest, Map<String, Object> out, List<Figure> figures) {
        if (!Files.isRegularFile(latest)) {
            return out;
        }
        try {
            Map<String, Object> earlier = Json.MAPPER.readValue(latest.toFile(), Map.class);
            List<Object> merged = new ArrayList<>((List<Object>) out.get("figures"));
            for (Object f : (List<Object>) earlier.getOrDefault("figures", List.of())) {
                Object name = ((Map<String, Object>) f).get("name");
                if (figures.stream().noneMatch(x -> x.name().equals(name))) {
                    merged.add(f);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>(out);
            result.put("figures", merged);
            return result;
        } catch (java.io.IOException | RuntimeException e) {
            return out; // an unreadable earlier file is replaced
        }
    }

    private static void write(Path file, Map<String, Object> content) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
    }

    private static Map<String, Object> asJson(Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("value", f.value());
        m.put("unit", f.unit());
        m.put("goal", f.goal());
        m.put("higher_is_better", f.higherIsBetter());
        return m;
    }

    private static void printTable(List<Figure> figures) {
        int width = figures.stream().mapToInt(f -> f.name().length()).max().orElse(10);
        System.out.printf("%n%-" + width + "s  %14s  %-10s  %s%n", "figure", "value", "unit", "goal");
        for (Figure f : figures) {
            String goal = f.goal() == null ? "" : (f.higherIsBetter() ? ">= " : "<= ") + f.goal()
                    + (Boolean.TRUE.equals(f.meetsGoal()) ? "  met" : "  NOT met");
            System.out.printf("%-" + width + "s  %14.3f  %-10s  %s%n", f.name(), f.value(), f.unit(), goal);
        }
    }
}
