package org.millrace.ops.cluster;

import java.time.Duration;
import java.util.Set;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.millrace.common.Settings;
import org.millrace.ops.dashboard.DashboardFeed;
import org.millrace.ops.dashboard.DashboardServer;
import org.millrace.ops.dashboard.DashboardSettings;
import org.millrace.ops.monitor.ConsumerLagCollector;

/**
 * The {@code ops} role: consumer lag of every Millrace group measured against the cluster's Kafka, and
 * the live dashboard with the cluster's members (every node serves its own /metrics; see ClusterNode).
 */
final class OpsRole implements AutoCloseable {
    private final ConsumerLagCollector lag;
    private final DashboardFeed feed;
    private final DashboardServer dashboard;

    private OpsRole(ConsumerLagCollector lag, DashboardFeed feed, DashboardServer dashboard) {
        this.lag = lag;
        this.feed = feed;
        this.dashboard = dashboard;
    }

    static OpsRole start(NodeContext context) {
        Duration lagInterval = Settings.positiveDuration(context.config(), "millrace.metrics.lag-interval");
        ConsumerLagCollector lag = ConsumerLagCollector.start(context.kafka(), group -> true,
                Set.copyOf(context.topics().all())::contains, lagInterval);
        DashboardSettings settings = DashboardSettings.fromConfig(context.config());
        if (!settings.enabled()) {
            return new OpsRole(lag, null, null);
        }
        DashboardFeed feed = DashboardFeed.start(PrometheusRegistry.defaultRegistry, ClusterMembers.view(context.system()),
                settings.sampleInterval(), settings.history());
        try {
            DashboardServer dashboard = DashboardServer.start(settings, feed);
            System.out.println("millrace node: dashboard at " + dashboard.address());
            return new OpsRole(lag, feed, dashboard);
        } catch (java.io.UncheckedIOException e) {
            System.out.println("millrace node: no dashboard: " + e.getMessage());
            feed.close();
            return new OpsRole(lag, null, null);
        }
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
    }
}
