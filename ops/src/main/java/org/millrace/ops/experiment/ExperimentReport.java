package org.millrace.ops.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.ops.bench.MachineInfo;
import org.millrace.ops.run.RunCurriculumController;

/**
 * {@code results.md}, {@code results.json} and the plots of an experiment. Each cell is the result of an
 * arm's last evaluated checkpoint: with one seed, the value ± the standard error the evaluation reports;
 * with several, the mean over seeds ± the standard error of that mean, and the spread (standard deviation
 * over seeds).
 */
public final class ExperimentReport {
    private ExperimentReport() {
    }

    /** What was written. */
    public record Written(Path markdown, Path json, List<Path> plots) {
    }

    /**
     * Where and how the experiment ran.
     *
     * @param loadAverage 1-minute load average at the start and at the last report
     */
    public record Context(String command, Map<String, Object> machine, String started, String finished,
                          @JsonProperty("load_average") List<Double> loadAverage, long steps,
                          @JsonProperty("tokens_per_step") long tokensPerStep) {
        static Context now(String command, long steps, long tokensPerStep) {
            return new Context(command, MachineInfo.describe(), Instant.now().toString(), null, List.of(currentLoad()), steps, tokensPerStep);
        }

        Context atReport() {
            return new Context(command, machine, started, Instant.now().toString(), List.of(loadAverage.get(0), currentLoad()), steps,
                    tokensPerStep);
        }
    }

    /**
     * One cell: an arm's result on one task metric.
     *
     * @param mean    mean over seeds of the last checkpoint's value
     * @param stderr  one seed: the evaluation's standard error; several: standard deviation / √seeds
     * @param sd      standard deviation over seeds (null with one seed)
     * @param values  the value of each seed
     */
    public record Cell(String task, String metric, String arm, double mean, Double stderr, Double sd, List<Double> values) {
    }

    /** The whole of results.json. */
    public record Results(Context context, ExperimentSettings settings, List<Map<String, String>> arms, List<Cell> table,
                          List<ArmRun> runs) {
    }

    static Written write(ExperimentSettings s, Context context, List<ArmRun> runs) throws IOException {
        Path dir = s.out();
        Files.createDirectories(dir);
        List<String> arms = runs.stream().map(ArmRun::arm).distinct().toList();
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.finalResults().keySet()));
        List<Cell> table = new ArrayList<>();
        for (String key : keys) {
            for (String arm : arms) {
                Cell c = cell(key, arm, runs.stream().filter(r -> r.arm().equals(arm)).toList());
                if (c != null) {
                    table.add(c);
                }
            }
        }
        List<Map<String, String>> armInfo = s.arms().stream()
                .map(a -> Map.of("arm", a.label(), "description", a.description())).toList();
        Path json = dir.resolve("results.json");
        Files.write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Results(context, s, armInfo, table, runs)));
        List<Path> plots = ExperimentPlots.write(runs, arms, dir.resolve("plots"));
        Path md = dir.resolve("results.md");
        Files.writeString(md, markdown(s, context, runs, arms, keys, table, plots, dir), StandardCharsets.UTF_8);
        return new Written(md, json, plots);
    }

    private static Cell cell(String key, String arm, List<ArmRun> runs) {
        List<EvalResult> finals = runs.stream().map(r -> r.finalResults().get(key)).filter(r -> r != null).toList();
        if (finals.isEmpty()) {
            return null;
        }
        List<Double> values = finals.stream().map(EvalResult::value).toList();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        Double sd = null;
        Double stderr = finals.get(0).stderr();
        if (values.size() > 1) {
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            sd = Math.sqrt(ss / (values.size() - 1));
            stderr = sd / Math.sqrt(values.size());
        }
        return new Cell(finals.get(0).task(), finals.get(0).metric(), arm, mean, stderr, sd, values);
    }

    private static String markdown(ExperimentSettings s, Context c, List<ArmRun> runs, List<String> arms, TreeSet<String> keys,
                                   List<Cell> table, List<Path> plots, Path dir) {
        StringBuilder md = new StringBuilder("# The textbook experiment\n\n");
        md.append("Command: `").append(c.command()).append("`\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %s, %s cores; load average %s (start, last report); %s to %s.%n%n",
                c.machine().get("cpu"), c.machine().get("cores"), c.loadAverage(), c.started(), c.finished()));
        md.append(String.format(Locale.ROOT, "Budget: %,d training tokens per arm and seed (%,d steps of %,d tokens), model preset `%s`, "
                + "%d seed(s) from %d; %d evaluated checkpoints per arm.%n%n", s.tokens(), c.steps(), c.tokensPerStep(), s.preset(),
                s.seeds(), s.firstSeed(), s.evaluations()));
        md.append("| arm | what it trains on |\n|---|---|\n");
        s.arms().forEach(a -> md.append("| ").append(a.label()).append(" | ").append(a.description()).append(" |\n"));
        md.append("\n## Results at the last checkpoint\n\n");
        long seedsDone = runs.stream().map(ArmRun::seed).distinct().count();
        if (seedsDone < s.seeds()) {
            md.append(String.format(Locale.ROOT, "So far %d of %d seeds. ", seedsDone, s.seeds()));
        }
        md.append(seedsDone == 1 ? "Value ± the standard error of the evaluation (over its items or texts)."
                : "Mean over seeds ± its standard error (sd / √seeds); in brackets the spread (standard deviation over seeds).");
        md.append(" Lower is better for bits per byte and loss, higher for accuracy; the best arm is in bold.\n\n");
        md.append("| task | metric |");
        arms.forEach(a -> md.append(' ').append(a).append(" |"));
        md.append("\n|---|---|").append("---:|".repeat(arms.size())).append('\n');
        for (String key : keys) {
            List<Cell> row = table.stream().filter(x -> (x.task() + " " + x.metric()).equals(key)).toList();
            if (row.isEmpty()) {
                continue;
            }
            boolean higherBetter = row.get(0).metric().contains("acc") || row.get(0).metric().contains("match");
            double best = row.stream().mapToDouble(Cell::mean).reduce(higherBetter ? Math::max : Math::min).orElse(Double.NaN);
            md.append("| ").append(row.get(0).task()).append(" | ").append(row.get(0).metric()).append(" |");
            for (String arm : arms) {
                Cell cell = row.stream().filter(x -> x.arm().equals(arm)).findFirst().orElse(null);
                if (cell == null) {
                    md.append(" |");
                    continue;
                }
                String v = String.format(Locale.ROOT, "%.4f", cell.mean());
                if (row.size() > 1 && cell.mean() == best) {
                    v = "**" + v + "**";
                }
                md.append(' ').append(v);
                if (cell.stderr() != null) {
                    md.append(String.format(Locale.ROOT, " ± %.4f", cell.stderr()));
                }
                if (cell.sd() != null) {
                    md.append(String.format(Locale.ROOT, " (%.4f)", cell.sd()));
                }
                md.append(" |");
            }
            md.append('\n');
        }
        md.append("\n## Runs\n\n| arm | seed | steps | tokens | wall time (s) | ms per 1,000 tokens (all / training) | last training loss | documents in / kept / rejected |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (ArmRun r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %,d | %.0f | %.0f / %.0f | %.4f | %d / %d / %d |%n", r.arm(), r.seed(),
                    r.steps(), r.tokens(), r.seconds(), r.msPer1kTokens(), r.trainMsPer1kTokens(), r.finalLoss(), r.docs().ingested(), r.docs().kept(), r.docs().rejected()));
        }
        List<ArmRun> adaptive = runs.stream().filter(r -> !r.mixtures().isEmpty()).toList();
        if (!adaptive.isEmpty()) {
            md.append("\n## Mixtures the controller published\n\n| arm | seed | from step | mixture |\n|---|---:|---:|---|\n");
            for (ArmRun r : adaptive) {
                for (CurriculumUpdate u : r.mixtures()) {
                    md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |%n", r.arm(), r.seed(), u.fromStep(), RunCurriculumController.shares(u.weights())));
                }
            }
        }
        md.append("\n## Plots\n\nEach metric against training tokens, one line per arm").append(s.seeds() > 1 ? " (mean over seeds, bars: sd)" : "")
                .append(".\n\n");
        for (Path p : plots) {
            String rel = dir.relativize(p).toString().replace('\\', '/');
            md.append("![").append(p.getFileName()).append("](").append(rel).append(")\n");
        }
        return md.toString();
    }

    /** A mixture as percentages, e.g. {@code web 40%, code 10%}. */
    private static double currentLoad() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
