package org.millrace.ops;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.millrace.common.ArrowMemoryMetrics;
import org.millrace.ops.monitor.NativeMemoryMetrics;

/** Serves {@code /metrics} of the default registry, JVM and native memory metrics included. */
public final class MetricsServer implements AutoCloseable {
    private static volatile boolean jvmRegistered;
    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    /** @param port 0 picks a free port */
    public static MetricsServer start(String host, int port) {
        registerJvmMetrics();
        try {
            return new MetricsServer(HTTPServer.builder().hostname(host).port(port)
                    .registry(PrometheusRegistry.defaultRegistry).buildAndStart());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port
                    + " (millrace.metrics.port): " + e.getMessage(), e);
        }
    }

    private static synchronized void registerJvmMetrics() {
        if (!jvmRegistered) {
            JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
            NativeMemoryMetrics.register();
            ArrowMemoryMetrics.register();
            jvmRegistered = true;
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
