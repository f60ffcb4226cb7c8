package org.millrace.ops.monitor;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code millrace_kafka_consumer_lag_records{group,topic}}: consumer lag measured every {@code interval}
 * on a thread of its own (so that a slow broker never stalls a scrape), served from the last
 * measurement. Registered in the default registry while open.
 */
public final class ConsumerLagCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagCollector.class);

    private final Admin admin;
    private final Predicate<String> groups;
    private final Predicate<String> topics;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final GaugeWithCallback gauge;
    private volatile List<ConsumerLag> last = List.of();
    private volatile boolean warned;

    private ConsumerLagCollector(Map<String, Object> kafka, Predicate<String> groups, Predicate<String> topics, Duration interval) {
        this.admin = Admin.create(kafka);
        this.groups = groups;
        this.topics = topics;
        Duration twice = interval.multipliedBy(2);
        this.timeout = twice.compareTo(Duration.ofSeconds(10)) > 0 ? twice : Duration.ofSeconds(10); // a measurement may take this long
        this.gauge = GaugeWithCallback.builder()
                .name("millrace_kafka_consumer_lag_records")
                .help("Records a consumer group has still to read on a topic (last stable offset minus committed offset, summed over partitions)")
                .labelNames("group", "topic")
                .callback(cb -> last.forEach(l -> cb.call(l.lag(), l.group(), l.topic())))
                .register(PrometheusRegistry.defaultRegistry);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "millrace-consumer-lag");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts measuring.
     *
     * @param kafka    admin client properties
     * @param groups   which consumer groups to report
     * @param topics   which topics to report (e.g. those of the run's topic prefix)
     * @param interval time between measurements ({@code millrace.metrics.lag-interval})
     */
    public static ConsumerLagCollector start(Map<String, Object> kafka, Predicate<String> groups, Predicate<String> topics,
                                             Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("millrace.metrics.lag-interval must be positive (got " + interval + ")");
        }
        return new ConsumerLagCollector(kafka, groups, topics, interval);
    }

    /** The last measurement. */
    public List<ConsumerLag> last() {
        return last;
    }

    private void refresh() {
        try {
            last = ConsumerLag.measure(admin, groups, topics, timeout);
            warned = false;
        } catch (RuntimeException e) {
            if (!warned) {
                LOG.warn("Consumer lag not measured: {}", e.getMessage());
                warned = true;
            }
        }
    }

    @Override
    public void close() {
        PrometheusRegistry.defaultRegistry.unregister(gauge);
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
