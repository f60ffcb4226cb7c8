package org.millrace.evaluation.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.millrace.common.EvalResult;

/**
 * The evaluation report of one run: {@code report.md}, a Markdown table of every task and metric at the
 * latest checkpoint and one of its history, and {@code plots/<task>.<metric>.png}, each metric against
 * training tokens (with ±1 standard error bars where known), drawn with XChart. When a checkpoint was
 * evaluated more than once, its latest result counts.
 */
public final class EvalReport {
    private EvalReport() {
    }

    /** What was written. */
    public record Written(Path markdown, List<Path> plots, int checkpoints, int series) {
    }

    public static Written write(List<EvalResult> all, String run, Path outDir) throws IOException {
        Map<String, Map<Long, EvalResult>> series = new TreeMap<>(); // "task metric" → step → latest result
        for (EvalResult r : all) {
            if (!r.run().equals(run)) {
                continue;
            }
            series.computeIfAbsent(r.task() + " " + r.metric(), k -> new TreeMap<>())
                    .merge(r.step(), r, (a, b) -> b.time() >= a.time() ? b : a);
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no evaluation results of run '" + run + "'");
        }
        Files.createDirectories(outDir.resolve("plots"));
        List<Path> plots = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        md.append("# Evaluation of run ").append(run).append("\n\n");
        Map<Long, Long> tokensOfStep = new TreeMap<>();
        series.values().forEach(m -> m.values().forEach(r -> tokensOfStep.put(r.step(), r.tokens())));
        md.append(String.format(Locale.ROOT, "%d checkpoints evaluated (steps %s).%n%n", tokensOfStep.size(),
                tokensOfStep.keySet().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")));
        md.append("## Latest checkpoint\n\n| task | metric | value | ± stderr | n | step | tokens |\n|---|---|---:|---:|---:|---:|---:|\n");
        for (Map<Long, EvalResult> s : series.values()) {
            EvalResult r = s.values().stream().max(Comparator.comparingLong(EvalResult::step)).orElseThrow();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %s | %d | %d | %d |%n", r.task(), r.metric(), r.value(),
                    r.stderr() == null ? "" : String.format(Locale.ROOT, "%.4f", r.stderr()), r.n(), r.step(), r.tokens()));
        }
        md.append("\n## History\n\n| task | metric |");
        tokensOfStep.keySet().forEach(step -> md.append(" step ").append(step).append(" |"));
        md.append("\n|---|---|");
        tokensOfStep.keySet().forEach(step -> md.append("---:|"));
        md.append('\n');
        for (Map.Entry<String, Map<Long, EvalResult>> e : series.entrySet()) {
            String[] tm = e.getKey().split(" ", 2);
            md.append("| ").append(tm[0]).append(" | ").append(tm[1]).append(" |");
            for (Long step : tokensOfStep.keySet()) {
                EvalResult r = e.getValue().get(step);
                md.append(r == null ? " |" : String.format(Locale.ROOT, " %.4f |", r.value()));
            }
            md.append('\n');
        }
        md.append("\n## Plots\n\n");
        for (Map.Entry<String, Map<Long, EvalResult>> e : series.entrySet()) {
            String[] tm = e.getKey().split(" ", 2);
            String name = safe(tm[0]) + "." + safe(tm[1]) + ".png";
            Path png = outDir.resolve("plots").resolve(name);
            plot(tm[0], tm[1], new ArrayList<>(e.getValue().values()), png);
            plots.add(png);
            md.append("![").append(tm[0]).append(' ').append(tm[1]).append("](plots/").append(name).append(")\n");
        }
        Path markdown = outDir.resolve("report.md");
        Files.writeString(markdown, md.toString(), StandardCharsets.UTF_8);
        return new Written(markdown, plots, tokensOfStep.size(), series.size());
    }

    private static void plot(String task, String metric, List<EvalResult> points, Path png) throws IOException {
        points.sort(Comparator.comparingLong(EvalResult::tokens));
        double[] x = points.stream().mapToDouble(EvalResult::tokens).toArray();
        double[] y = points.stream().mapToDouble(EvalResult::value).toArray();
        boolean errors = points.stream().allMatch(p -> p.stderr() != null);
        XYChart chart = new XYChartBuilder().width(640).height(400).title(task + " — " + metric)
                .xAxisTitle("training tokens").yAxisTitle(metric).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setDecimalPattern("#,##0.###");
        XYSeries s = errors
                ? chart.addSeries(metric, x, y, points.stream().mapToDouble(EvalResult::stderr).toArray())
                : chart.addSeries(metric, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        String file = png.toString();
        BitmapEncoder.saveBitmap(chart, file.substring(0, file.length() - 4), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** Results grouped by run (for listing what the topic holds). */
    public static Map<String, Integer> runs(List<EvalResult> all) {
        Map<String, Integer> out = new LinkedHashMap<>();
        all.forEach(r -> out.merge(r.run(), 1, Integer::sum));
        return out;
    }
}
