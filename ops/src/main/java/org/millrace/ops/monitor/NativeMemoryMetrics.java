package org.millrace.ops.monitor;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * {@code millrace_memory_native_bytes}: resident memory outside the JVM's heap and non-heap pools — where
 * PyTorch (through DJL) keeps tensors, Arrow its buffers, and threads their stacks. Neither DJL nor
 * PyTorch reports CPU allocations, so this is an approximation: VmRSS of {@code /proc/self/status}
 * minus the committed heap and non-heap memory (never below zero). Absent where /proc is not.
 */
public final class NativeMemoryMetrics {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static volatile boolean registered;

    private NativeMemoryMetrics() {
    }

    /** Registers the gauge in the default registry, once per JVM. */
    public static synchronized void register() {
        if (registered) {
            return;
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        GaugeWithCallback.builder()
                .name("millrace_memory_native_bytes")
                .help("Resident memory outside the JVM heap and non-heap pools (VmRSS minus committed JVM memory): "
                        + "PyTorch tensors, Arrow buffers, thread stacks; an approximation")
                .callback(cb -> residentBytes().ifPresent(rss -> cb.call(Math.max(0, rss
                        - memory.getHeapMemoryUsage().getCommitted() - memory.getNonHeapMemoryUsage().getCommitted()))))
                .register(PrometheusRegistry.defaultRegistry);
        registered = true;
    }

    /** VmRSS of this process in bytes, where /proc tells it. */
    public static OptionalLong residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+"); // "123456 kB"
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): the gauge stays empty
        }
        return OptionalLong.empty();
    }
}
