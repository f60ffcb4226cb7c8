package org.millrace.ops.dashboard;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's data: a {@link Tick} sampled from the registry every interval, handed to subscribers
 * (the open pages) and kept — the last {@code history} ticks for the time charts, and, for the whole
 * run, the loss curve by step and the evaluations by tokens (thinned to every other point when full).
 */
public final class DashboardFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
    private static final int MAX_CURVE_POINTS = 4000;

    /** One point of the loss and learning-rate curves. */
    public record StepPoint(long step, Double loss, Double learningRate) {
    }

    /** One evaluated checkpoint. */
    public record EvalPoint(long tokens, long step, Map<String, Double> values) {
    }

    /** Everything a page needs when it opens. */
    public record History(List<Tick> ticks, List<StepPoint> steps, List<EvalPoint> evals) {
    }

    private final TickSampler sampler;
    private final int history;
    private final Deque<Tick> ticks = new ArrayDeque<>();
    private final List<StepPoint> steps = new ArrayList<>();
    private final List<EvalPoint> evals = new ArrayList<>();
    private final List<Consumer<Tick>> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;

    private DashboardFeed(PrometheusRegistry registry, Supplier<Tick.Cluster> cluster, Duration interval, int history) {
        this.history = history;
        this.sampler = new TickSampler(registry, cluster, (int) Math.max(2, Duration.ofSeconds(5).toMillis() / interval.toMillis() + 1));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "millrace-dashboard-feed");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts sampling.
     *
     * @param cluster  who is in the cluster, asked at every sample
     * @param interval time between samples ({@code millrace.dashboard.sample-interval})
     * @param history  ticks kept ({@code millrace.dashboard.history})
     */
    public static DashboardFeed start(PrometheusRegistry registry, Supplier<Tick.Cluster> cluster, Duration interval, int history) {
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("millrace.dashboard.sample-interval must be at least 1ms (got " + interval + ")");
        }
        if (history < 2) {
            throw new IllegalArgumentException("millrace.dashboard.history must be at least 2 (got " + history + ")");
        }
        return new DashboardFeed(registry, cluster, interval, history);
    }

    /** Calls {@code subscriber} with every tick from now on (on the feed's thread: return quickly). */
    public void subscribe(Consumer<Tick> subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(Consumer<Tick> subscriber) {
        subscribers.remove(subscriber);
    }

    public synchronized History history() {
        return new History(List.copyOf(ticks), List.copyOf(steps), List.copyOf(evals));
    }

    private void sampleQuietly() {
        try {
            Tick tick = record(sampler.sample(System.currentTimeMillis()));
            subscribers.forEach(s -> s.accept(tick));
        } catch (RuntimeException e) {
            LOG.warn("Dashboard sample failed: {}", e.toString());
        }
    }

    private synchronized Tick record(Tick tick) {
        ticks.addLast(tick);
        while (ticks.size() > history) {
            ticks.removeFirst();
        }
        Tick.Train t = tick.train();
        if (t != null && (steps.isEmpty() || steps.get(steps.size() - 1).step() != t.step())) {
            appendThinned(steps, new StepPoint(t.step(), t.loss(), t.learningRate()));
        }
        Tick.Eval e = tick.eval();
        if (e != null && (evals.isEmpty() || evals.get(evals.size() - 1).step() != e.step())) {
            appendThinned(evals, new EvalPoint(e.tokens(), e.step(), e.values()));
        }
        return tick;
    }

    private static <T> void appendThinned(List<T> curve, T point) {
        if (curve.size() >= MAX_CURVE_POINTS) {
            List<T> every2nd = new ArrayList<>();
            for (int i = 0; i < curve.size(); i += 2) {
                every2nd.add(curve.get(i));
            }
            curve.clear();
            curve.addAll(every2nd);
        }
        curve.add(point);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        subscribers.clear();
    }
}
