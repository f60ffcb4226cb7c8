package org.millrace.bench;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.millrace.common.Settings;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH micro-benchmarks of {@code org.millrace.bench.jmh} (filters, and whatever else lives
 * there) in forked JVMs with short settings ({@code millrace.bench.jmh}), and reports each as
 * {@code jmh.<Class>.<method>} in its JMH unit. Short runs are noisier than JMH's defaults: compare
 * figures of one run, on one machine.
 */
public final class JmhSuite implements BenchSuite {
    private static final String PACKAGE = "org.millrace.bench.jmh.";

    @Override
    public String prefix() {
        return "jmh";
    }

    @Override
    public int order() {
        return 300;
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        Config c = ctx.settings();
        String p = "millrace.bench.jmh.";
        String include = c.getString(p + "benchmarks");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include.isBlank() ? PACKAGE.replace(".", "\\.") + ".*" : include)
                .forks(Settings.positiveInt(c, p + "forks"))
                .warmupIterations(Settings.positiveInt(c, p + "warmup-iterations"))
                .warmupTime(time(c, p + "warmup-time"))
                .measurementIterations(Settings.positiveInt(c, p + "measurement-iterations"))
                .measurementTime(time(c, p + "measurement-time"))
                .shouldFailOnError(true);
        ctx.progress().accept("JMH: forked JVMs, short warm-up and measurement (millrace.bench.jmh)");
        if (c.getBoolean(p + "ignore-lock")) {
            System.setProperty("jmh.ignoreLock", "true");
        }
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH could not run (" + e.getMessage() + "); if another JMH run holds its "
                    + "lock, wait for it, or set " + p + "ignore-lock = true to measure alongside it", e);
        }
        List<Figure> figures = new ArrayList<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            StringBuilder params = new StringBuilder();
            for (String key : new java.util.TreeSet<>(r.getParams().getParamsKeys())) {
                params.append(params.isEmpty() ? ":" : ",").append(key).append('=').append(r.getParams().getParam(key));
            }
            // one figure per parameter combination: a @Param benchmark gives as many results under one method name
            String name = "jmh." + (benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark)
                    + params;
            var primary = r.getPrimaryResult();
            ctx.progress().accept(String.format("%s: %.1f ± %.1f %s", name, primary.getScore(),
                    Double.isNaN(primary.getScoreError()) ? 0 : primary.getScoreError(), primary.getScoreUnit()));
            figures.add(new Figure(name, primary.getScore(), primary.getScoreUnit(), null,
                    !primary.getScoreUnit().contains("/op")));
        }
        return figures;
    }

    private static TimeValue time(Config c, String key) {
        long ms = Settings.positiveDuration(c, key).toMillis();
        return new TimeValue(ms, TimeUnit.MILLISECONDS);
    }
}
