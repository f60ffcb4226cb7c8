package org.millrace.ops.run;

import com.typesafe.config.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.evaluation.EvaluatorActor;
import org.millrace.ops.MetricsServer;
import org.millrace.ops.dashboard.ClusterView;
import org.millrace.ops.dashboard.DashboardFeed;
import org.millrace.ops.dashboard.DashboardServer;
import org.millrace.ops.dashboard.DashboardSettings;
import org.millrace.ops.monitor.ConsumerLagCollector;
import org.millrace.ops.monitor.RunMetrics;
import org.millrace.training.TrainingLoop;

/**
 * What a run serves to be watched: {@code /metrics}, consumer lag of the run's consumer groups, the
 * live dashboard, and the metrics the run sets from what its actors report.
 */
public final class RunMonitoring implements AutoCloseable {
    /** The roles a single-JVM run plays. */
    static final List<String> ROLES = List.of("ingest", "process", "train", "eval");

    private final MetricsServer metrics;
    private final ConsumerLagCollector lag;
    private final DashboardFeed feed;
    private final DashboardServer dashboard;
    private final String run;

    private RunMonitoring(MetricsServer metrics, ConsumerLagCollector lag, DashboardFeed feed, DashboardServer dashboard, String run) {
        this.metrics = metrics;
        this.lag = lag;
        this.feed = feed;
        this.dashboard = dashboard;
        this.run = run;
    }

    /**
     * Starts serving. A dashboard port that is taken does not stop the run: it is said on {@code progress}.
     *
     * @param kafka client properties of the run's cluster
     */
    public static RunMonitoring start(Config config, Map<String, Object> kafka, Topics topics, String run, ProgressLine progress) {
        String host = config.getString("millrace.metrics.host");
        DashboardSettings settings = DashboardSettings.fromConfig(config);
        Duration lagInterval = Settings.positiveDuration(config, "millrace.metrics.lag-interval");
        MetricsServer metrics = MetricsServer.start(host, Settings.nonNegativeInt(config, "millrace.metrics.port"));
        ConsumerLagCollector lag;
        try {
            lag = ConsumerLagCollector.start(kafka, group -> true, Set.copyOf(topics.all())::contains, lagInterval);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        DashboardFeed feed = null;
        DashboardServer dashboard = null;
        if (settings.enabled()) {
            feed = DashboardFeed.start(PrometheusRegistry.defaultRegistry, ClusterView.singleNode(ROLES),
                    settings.sampleInterval(), settings.history());
            try {
                dashboard = DashboardServer.start(settings, feed);
            } catch (UncheckedIOException e) {
                progress.println("no dashboard: " + e.getMessage());
                feed.close();
                feed = null;
            }
        }
        progress.println("metrics at http://" + host + ":" + metrics.port() + "/metrics"
                + (dashboard == null ? "" : " · dashboard at " + dashboard.address()
                + (settings.token().isEmpty() ? "" : "?token=<millrace.dashboard.token>")));
        return new RunMonitoring(metrics, lag, feed, dashboard, run);
    }

    public int metricsPort() {
        return metrics.port();
    }

    /** The dashboard's address, when it is served. */
    public Optional<URI> dashboard() {
        return Optional.ofNullable(dashboard).map(DashboardServer::address);
    }

    /** Sets the run's metrics from a step of the trainer. */
    public void stepped(TrainingLoop.StepReport report) {
        RunMetrics.INSTANCE.stepped(run, report.step(), report.tokens());
    }

    /** Sets the evaluation gauges from an evaluated checkpoint. */
    public void evaluated(EvaluatorActor.Evaluated evaluated) {
        RunMetrics.INSTANCE.evaluated(evaluated.results());
    }

    @Override
    public void close() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (feed != null) {
            feed.close();
        }
        lag.close();
        metrics.close();
    }
}
