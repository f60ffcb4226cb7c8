package org.millrace.ops.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.millrace.common.EvalResult;

/**
 * One PNG per task metric: the metric against training tokens, one line per arm (with several seeds the
 * mean at each evaluated step, error bars the standard deviation over seeds; with one, the evaluation's
 * standard error), drawn with XChart.
 */
final class ExperimentPlots {
    private ExperimentPlots() {
    }

    static List<Path> write(List<ArmRun> runs, List<String> arms, Path dir) throws IOException {
        Files.createDirectories(dir);
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(r -> r.results().forEach(x -> keys.add(ArmRun.key(x))));
        List<Path> plots = new ArrayList<>();
        for (String key : keys) {
            String[] tm = key.split(" ", 2);
            XYChart chart = new XYChartBuilder().width(720).height(440).title(tm[0] + " — " + tm[1])
                    .xAxisTitle("training tokens").yAxisTitle(tm[1]).build();
            chart.getStyler().setDecimalPattern("#,##0.###");
            boolean any = false;
            for (String arm : arms) {
                double[][] curve = curve(runs.stream().filter(r -> r.arm().equals(arm)).toList(), key);
                if (curve[0].length == 0) {
                    continue;
                }
                XYSeries s = curve[2] != null ? chart.addSeries(arm, curve[0], curve[1], curve[2]) : chart.addSeries(arm, curve[0], curve[1]);
                s.setMarker(SeriesMarkers.CIRCLE);
                any = true;
            }
            if (!any) {
                continue;
            }
            Path png = dir.resolve(safe(tm[0]) + "." + safe(tm[1]) + ".png");
            String file = png.toString();
            BitmapEncoder.saveBitmap(chart, file.substring(0, file.length() - 4), BitmapEncoder.BitmapFormat.PNG);
            plots.add(png);
        }
        return plots;
    }

    /** x (mean tokens), y (mean value) and error bars (or null) per evaluated step of the arm's seeds. */
    private static double[][] curve(List<ArmRun> seeds, String key) {
        Map<Long, List<EvalResult>> byStep = new TreeMap<>();
        for (ArmRun run : seeds) {
            Map<Long, EvalResult> latest = new TreeMap<>();
            run.results().stream().filter(r -> ArmRun.key(r).equals(key))
                    .forEach(r -> latest.merge(r.step(), r, (a, b) -> b.time() >= a.time() ? b : a));
            latest.forEach((step, r) -> byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(r));
        }
        int n = byStep.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] e = new double[n];
        boolean errors = true;
        int i = 0;
        for (List<EvalResult> at : byStep.values()) {
            x[i] = at.stream().mapToLong(EvalResult::tokens).average().orElseThrow();
            double mean = at.stream().mapToDouble(EvalResult::value).average().orElseThrow();
            y[i] = mean;
            if (seeds.size() > 1) {
                e[i] = at.size() > 1 ? Math.sqrt(at.stream().mapToDouble(r -> (r.value() - mean) * (r.value() - mean)).sum() / (at.size() - 1)) : 0;
            } else if (at.get(0).stderr() != null) {
                e[i] = at.get(0).stderr();
            } else {
                errors = false;
            }
            i++;
        }
        return new double[][] {x, y, errors ? e : null};
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
