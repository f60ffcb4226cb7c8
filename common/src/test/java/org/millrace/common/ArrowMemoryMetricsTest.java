package org.millrace.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.OptionalDouble;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class ArrowMemoryMetricsTest {

    private static OptionalDouble allocated(String allocator) {
        for (MetricSnapshot s : PrometheusRegistry.defaultRegistry.scrape(n -> n.startsWith("millrace_memory_arrow"))) {
            for (GaugeSnapshot.GaugeDataPointSnapshot p : ((GaugeSnapshot) s).getDataPoints()) {
                if (allocator.equals(p.getLabels().get("allocator"))) {
                    return OptionalDouble.of(p.getValue());
                }
            }
        }
        return OptionalDouble.empty();
    }

    @Test
    void reportsWhatATrackedAllocatorHoldsUntilItIsUntracked() {
        try (BufferAllocator allocator = new RootAllocator()) {
            ArrowMemoryMetrics.track("test-allocator", allocator);
            assertEquals(0.0, allocated("test-allocator").orElseThrow());
            try (ArrowBuf buf = allocator.buffer(1 << 20)) {
                assertTrue(allocated("test-allocator").orElseThrow() >= 1 << 20, "a 1 MiB buffer is counted");
            }
            assertEquals(0.0, allocated("test-allocator").orElseThrow());
            ArrowMemoryMetrics.untrack("test-allocator");
            assertTrue(allocated("test-allocator").isEmpty());
        }
    }
}
