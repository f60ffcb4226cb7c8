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
import org.millrace.ops.bench.BenchResults;
import org.millrace.ops.bench.BenchSummaryChart;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.ops.bench.MachineInfo;
import org.millrace.ops.bench.SoakRunner;
import org.millrace.ops.docs.BenchmarkReference;
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

    @Option(names = "--json", paramLabel = "FILE", description = {"Also write the figures, the machine's description and the timings as JSON,",
            "with a summary next to it: FILE.md (the table) and FILE.png (figures against their goals)."})
    Path json;

    @Option(names = "--only", paramLabel = "PREFIX[,PREFIX...]", description = "Run only the suites whose figures start with "
            + "PREFIX (e.g. kafka); several, comma-separated (kafka,ingest: a ratio between suites needs both).")
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
        List<String> prefixes = only == null ? List.of() : List.of(only.split(","));
        if (only != null) {
            suites.removeIf(s -> prefixes.stream().noneMatch(p -> s.prefix().startsWith(p) || p.startsWith(s.prefix())));
        }
        if (suites.isEmpty()) {
            throw new IllegalArgumentException(only == null
                    ? "no benchmark suites on the class path (run through bin/millrace, which includes the benchmarks module)"
                    : "--only " + only + " matches no benchmark suite");
        }
        List<Figure> figures = new ArrayList<>();
        Map<String, Object> machine = new LinkedHashMap<>(MachineInfo.describe()); // at the start: the time and load the run began with
        List<BenchResults.SuiteTime> times = new ArrayList<>();
        long runStart = System.nanoTime();
        Path work = Files.createTempDirectory("millrace-bench");
        try (KafkaConnection kafka = KafkaConnection.open(config, dataDir)) {
            for (int i = 0; i < suites.size(); i++) {
                BenchSuite suite = suites.get(i);
                System.out.printf("[%d/%d] measuring %s ... (%s elapsed, load average %.1f)%n", i + 1, suites.size(), suite.prefix(),
                        minutes(System.nanoTime() - runStart), MachineInfo.loadAverage());
                long suiteStart = System.nanoTime();
                BenchContext ctx = new BenchContext(config, work, kafka.clientProperties(), List.copyOf(figures),
                        line -> System.out.println("  " + line));
                String error = null;
                try {
                    for (Figure f : uniqueNames(suite, suite.run(ctx), figures)) {
                        if (only == null || prefixes.stream().anyMatch(p -> f.name().startsWith(p) || p.startsWith(suite.prefix()))) {
                            figures.add(f);
                        }
                    }
                } catch (Exception e) {
                    // one broken suite does not cost the figures of the others; the run exits 1 at the end
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                times.add(new BenchResults.SuiteTime(suite.prefix(), (System.nanoTime() - suiteStart) / 1e9, error));
                System.out.printf("[%d/%d] %s %s in %s%n", i + 1, suites.size(), suite.prefix(),
                        error == null ? "done" : "FAILED (" + error + ")", minutes(System.nanoTime() - suiteStart));
                if (json != null && i + 1 < suites.size()) {
                    // what is measured so far survives an interrupted run
                    new BenchResults(machine, "partial: " + (i + 1) + " of " + suites.size() + " suites measured",
                            times, (System.nanoTime() - runStart) / 1e9, figures).write(json);
                }
            }
        }
        printTable(figures);
        machine.put("load_average_1m_at_end", MachineInfo.loadAverage());
        BenchResults results = new BenchResults(machine, null, times, (System.nanoTime() - runStart) / 1e9, figures);
        System.out.println("total " + minutes(System.nanoTime() - runStart));
        Map<String, Object> out = results.toJson();
        if (json != null) {
            results.write(json);
            System.out.println("wrote " + json);
            writeSummary(json, results);
        }
        // The trainer measures MFU against djl.matmul.gflops of this file (millrace.trainer.bench-results).
        Path latest = dataDir.resolve(config.getString("millrace.trainer.bench-results"));
        write(latest, withEarlierFigures(latest, out, figures));
        List<String> failed = times.stream().filter(t -> t.error() != null).map(BenchResults.SuiteTime::prefix).toList();
        if (!failed.isEmpty()) {
            System.err.println("millrace bench: suites failed: " + String.join(", ", failed) + " (their errors are above and in the JSON)");
            return 1;
        }
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

    /**
     * Figures are looked up by name (MFU reads djl.matmul.gflops; earlier results are merged by name), so a
     * name must be unique: one a suite returns several times says nothing about which it is and is dropped,
     * one an earlier suite of the run already measured keeps the earlier figure. Each drop is printed.
     */
    static List<Figure> uniqueNames(BenchSuite suite, List<Figure> measured, List<Figure> earlier) {
        Map<String, Long> counts = measured.stream().collect(java.util.stream.Collectors.groupingBy(Figure::name,
                java.util.stream.Collectors.counting()));
        List<Figure> kept = new ArrayList<>();
        for (Figure f : measured) {
            if (counts.get(f.name()) > 1) {
                System.out.printf("  dropped %s: suite %s returned %d figures of that name%n", f.name(), suite.prefix(), counts.get(f.name()));
            } else if (earlier.stream().anyMatch(e -> e.name().equals(f.name()))) {
                System.out.printf("  dropped %s of suite %s: an earlier suite of this run measured it%n", f.name(), suite.prefix());
            } else {
                kept.add(f);
            }
        }
        return kept;
    }

    /** FILE.md (the figure table) and FILE.png (figures against their goals) next to the JSON. */
    private static void writeSummary(Path json, BenchResults results) throws java.io.IOException {
        String base = json.toString().endsWith(".json") ? json.toString().substring(0, json.toString().length() - 5) : json.toString();
        Path md = Path.of(base + ".md");
        Files.writeString(md, "# millrace bench: " + json.getFileName() + "\n\n" + BenchmarkReference.summary(results));
        System.out.println("wrote " + md);
        Path png = Path.of(base + ".png");
        if (BenchSummaryChart.write(results, png)) {
            System.out.println("wrote " + png);
        }
    }

    private static String minutes(long nanos) {
        long s = Math.round(nanos / 1e9);
        return String.format("%d:%02d", s / 60, s % 60);
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
