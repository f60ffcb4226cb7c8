package org.millrace.common;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code millrace_memory_arrow_allocated_bytes{allocator}}: the off-heap memory Arrow allocators hold
 * ({@link BufferAllocator#getAllocatedMemory()}). Arrow keeps no global list of its allocators, so each
 * owner of a root allocator names it here once ({@link #track}); allocators are held weakly and drop
 * out when collected or closed.
 */
public final class ArrowMemoryMetrics {
    private static final Map<String, WeakReference<BufferAllocator>> ALLOCATORS = new ConcurrentHashMap<>();
    private static final GaugeWithCallback GAUGE = GaugeWithCallback.builder()
            .name("millrace_memory_arrow_allocated_bytes")
            .help("Off-heap bytes held by Arrow allocators (token batches being built, decoded or fed), per allocator")
            .labelNames("allocator")
            .callback(callback -> ALLOCATORS.forEach((name, ref) -> {
                BufferAllocator a = ref.get();
                if (a != null) {
                    callback.call(a.getAllocatedMemory(), name);
                }
            }))
            .register(PrometheusRegistry.defaultRegistry);

    private ArrowMemoryMetrics() {
    }

    /**
     * Reports {@code allocator} under {@code name} from now on (a later allocator under the same name
     * replaces it). Closed or collected allocators are no longer reported.
     */
    public static void track(String name, BufferAllocator allocator) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an Arrow allocator needs a name to be reported under");
        }
        ALLOCATORS.put(name, new WeakReference<>(allocator));
        ALLOCATORS.entrySet().removeIf(e -> e.getValue().get() == null);
    }

    /** Stops reporting the allocator of {@code name}. */
    public static void untrack(String name) {
        ALLOCATORS.remove(name);
    }

    /** Makes the gauge part of the default registry even before any allocator is tracked. */
    public static void register() {
        // nothing to do: calling this initialises the class, and that registers GAUGE
    }
}
