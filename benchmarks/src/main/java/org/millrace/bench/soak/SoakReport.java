package org.millrace.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.millrace.common.Json;
import org.millrace.ops.bench.MachineInfo;

/**
 * What a soak found: per series its first and last value after warm-up and its growth (least-squares slope
 * over the samples after warm-up, per hour). Written as JSON with every sample, and as a PNG of memory and
 * throughput over time.
 */
final class SoakReport {
    private static final double MB = 1024.0 * 1024.0;

    /** One series' growth. */
    record Growth(String name, String unit, int samples, double first, double last, double min, double max, double slopePerHour) {
    }

    /** The series reported, in MB or per second. */
    private static Map<String, ToDoubleFunction<SoakSample>> series() {
        Map<String, ToDoubleFunction<SoakSample>> m = new LinkedHashMap<>();
        m.put("heap_used_mb", s -> s.heapUsed() / MB);
        m.put("heap_live_after_full_gc_mb", s -> s.heapLive() < 0 ? Double.NaN : s.heapLive() / MB);
        m.put("heap_committed_mb", s -> s.heapCommitted() / MB);
        m.put("non_heap_committed_mb", s -> s.nonHeapCommitted() / MB);
        m.put("rss_mb", s -> s.rss() < 0 ? Double.NaN : s.rss() / MB);
        m.put("native_estimate_mb", s -> s.nativeEstimate() < 0 ? Double.NaN : s.nativeEstimate() / MB);
        m.put("djl_tensor_mb", s -> s.djlTensorBytes() < 0 ? Double.NaN : s.djlTensorBytes() / MB);
        m.put("djl_tensors", s -> s.djlTensors() < 0 ? Double.NaN : s.djlTensors());
        m.put("arrow_mb", s -> s.arrowBytes() / MB);
        m.put("threads", SoakSample::threads);
        m.put("train_tokens_per_s", SoakSample::tokensPerSecond);
        m.put("curation_docs_per_s", SoakSample::docsPerSecond);
        return m;
    }

    static List<Growth> growth(List<SoakSample> samples, double warmupSeconds) {
        List<Growth> out = new ArrayList<>();
        for (Map.Entry<String, ToDoubleFunction<SoakSample>> e : series().entrySet()) {
            List<double[]> points = new ArrayList<>();
            for (SoakSample s : samples) {
                double v = e.getValue().applyAsDouble(s);
                if (s.seconds() >= warmupSeconds && Double.isFinite(v) && !(e.getKey().endsWith("_per_s") && s.seconds() == 0)) {
                    points.add(new double[] {s.seconds() / 3600.0, v});
                }
            }
            if (points.size() < 2) {
                continue;
            }
            out.add(new Growth(e.getKey(), e.getKey().endsWith("_mb") ? "MB" : e.getKey().endsWith("_per_s") ? "1/s" : "count",
                    points.size(), points.get(0)[1], points.get(points.size() - 1)[1],
                    points.stream().mapToDouble(p -> p[1]).min().orElseThrow(), points.stream().mapToDouble(p -> p[1]).max().orElseThrow(),
                    slope(points)));
        }
        return out;
    }

    /** Least-squares slope of y over x. */
    static double slope(List<double[]> points) {
        double n = points.size();
        double sx = 0;
        double sy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
        }
        double mx = sx / n;
        double my = sy / n;
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    static void writeJson(Path file, Map<String, Object> settings, List<SoakSample> samples, List<Growth> growth,
                          double warmupSeconds) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", MachineInfo.describe());
        out.put("settings", settings);
        out.put("warmup_seconds", warmupSeconds);
        out.put("growth_per_hour_after_warmup", growth);
        out.put("samples", samples);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
    }

    /** Memory (MB) above, throughput below, over minutes. */
    static void writePlot(Path png, List<SoakSample> samples) throws IOException {
        double[] minutes = samples.stream().mapToDouble(s -> s.seconds() / 60).toArray();
        XYChart memory = new XYChartBuilder().width(900).height(380).title("Soak: memory").xAxisTitle("minutes").yAxisTitle("MB").build();
        Map<String, ToDoubleFunction<SoakSample>> all = series();
        for (String name : List.of("rss_mb", "native_estimate_mb", "heap_used_mb", "heap_live_after_full_gc_mb", "djl_tensor_mb", "arrow_mb")) {
            addSeries(memory, name, minutes, samples, all.get(name));
        }
        XYChart speed = new XYChartBuilder().width(900).height(380).title("Soak: throughput").xAxisTitle("minutes")
                .yAxisTitle("per second").build();
        addSeries(speed, "train_tokens_per_s", minutes, samples, all.get("train_tokens_per_s"));
        addSeries(speed, "curation_docs_per_s", minutes, samples, all.get("curation_docs_per_s"));
        String base = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(List.of(memory, speed), 2, 1, base, BitmapEncoder.BitmapFormat.PNG);
    }

    private static void addSeries(XYChart chart, String name, double[] minutes, List<SoakSample> samples, ToDoubleFunction<SoakSample> f) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            double v = f.applyAsDouble(samples.get(i));
            if (Double.isFinite(v)) {
                x.add(minutes[i]);
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            XYSeries s = chart.addSeries(name, x, y);
            // the once-a-minute series is drawn with its points; the others are dense enough for a line
            s.setMarker(x.size() < samples.size() / 4 ? org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE
                    : org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
    }
}
