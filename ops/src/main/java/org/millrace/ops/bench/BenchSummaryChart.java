package org.millrace.ops.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG of how far each figure with a goal is from it: 100% is the goal exactly, above is better
 * (value / goal where higher is better, goal / value where lower is better; capped at {@value #CAP}%).
 * Figures in different units become comparable only this way.
 */
public final class BenchSummaryChart {
    static final double CAP = 300;

    private BenchSummaryChart() {
    }

    /** Percent of its goal a figure reaches (capped), or null when it has no goal. */
    public static Double percentOfGoal(Figure f) {
        if (f.goal() == null) {
            return null;
        }
        double ratio = f.higherIsBetter() ? f.value() / f.goal() : (f.value() == 0 ? Double.POSITIVE_INFINITY : f.goal() / f.value());
        return Math.min(CAP, Math.max(0, 100 * ratio));
    }

    /** Writes the chart; returns false (and writes nothing) when no figure has a goal. */
    public static boolean write(BenchResults results, Path png) throws IOException {
        List<String> names = new ArrayList<>();
        List<Double> percents = new ArrayList<>();
        List<Double> goal = new ArrayList<>();
        for (Figure f : results.figures()) {
            Double p = percentOfGoal(f);
            if (p != null) {
                names.add(f.name());
                percents.add(p);
                goal.add(100.0);
            }
        }
        if (names.isEmpty()) {
            return false;
        }
        String time = String.valueOf(results.machine().getOrDefault("time", ""));
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(800, 110 * names.size())).height(600)
                .title("millrace bench: figures against their goals")
                .xAxisTitle("figure (run of " + (time.length() > 16 ? time.substring(0, 16) + "Z" : time) + ")")
                .yAxisTitle("% of goal (100 = goal; higher is better)").build();
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setLegendVisible(true);
        chart.addSeries("measured", names, percents);
        chart.addSeries("goal", names, goal).setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Line)
                .setMarker(SeriesMarkers.NONE);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        String base = png.toString().endsWith(".png") ? png.toString().substring(0, png.toString().length() - 4) : png.toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
