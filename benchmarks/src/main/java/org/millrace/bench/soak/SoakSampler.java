package org.millrace.bench.soak;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.function.Supplier;
import org.millrace.ops.monitor.NativeMemoryMetrics;

/** Takes the samples of a soak: JVM and process memory, the trainer's DJL tensors, Arrow, and progress counters. */
final class SoakSampler {
    private static final long FULL_GC_EVERY_NANOS = 60_000_000_000L;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long start = System.nanoTime();
    private final Supplier<NDManager> trainerManager;
    private final Supplier<long[]> progress;
    private long lastFullGc = System.nanoTime();
    private SoakSample previous;

    /**
     * @param trainerManager the NDManager of the live trainer (null while there is none)
     * @param progress       {steps, tokens} trained so far
     */
    SoakSampler(Supplier<NDManager> trainerManager, Supplier<long[]> progress) {
        this.trainerManager = trainerManager;
        this.progress = progress;
    }

    SoakSample sample() {
        long now = System.nanoTime();
        long heapLive = -1;
        if (now - lastFullGc >= FULL_GC_EVERY_NANOS) {
            // Once a minute: what the heap holds after a full collection, the figure a leak shows in.
            System.gc();
            heapLive = memory.getHeapMemoryUsage().getUsed();
            lastFullGc = now;
        }
        long heapUsed = memory.getHeapMemoryUsage().getUsed();
        long heapCommitted = memory.getHeapMemoryUsage().getCommitted();
        long nonHeap = memory.getNonHeapMemoryUsage().getCommitted();
        long rss = NativeMemoryMetrics.residentBytes().orElse(-1);
        long nativeEstimate = rss < 0 ? -1 : Math.max(0, rss - heapCommitted - nonHeap);
        long[] tensors = djlTensors();
        MetricSnapshots metrics = PrometheusRegistry.defaultRegistry.scrape();
        long arrow = (long) sum(metrics, "millrace_memory_arrow_allocated_bytes");
        long docsIn = (long) sum(metrics, "millrace_curation_documents_in");
        long batches = (long) sum(metrics, "millrace_curation_batches");
        long[] p = progress.get();
        double seconds = (now - start) / 1e9;
        double tokensPerSecond = 0;
        double docsPerSecond = 0;
        if (previous != null && seconds > previous.seconds()) {
            tokensPerSecond = (p[1] - previous.tokens()) / (seconds - previous.seconds());
            docsPerSecond = (docsIn - previous.docsIn()) / (seconds - previous.seconds());
        }
        SoakSample s = new SoakSample(seconds, heapUsed, heapLive, heapCommitted, nonHeap, rss, nativeEstimate, tensors[0],
                tensors[1], arrow, p[0], p[1], docsIn, batches, tokensPerSecond, docsPerSecond, Thread.activeCount());
        previous = s;
        return s;
    }

    /** {bytes, count} of the NDArrays the trainer's manager and its sub-managers hold; {-1, -1} if not obtainable. */
    private long[] djlTensors() {
        NDManager manager = trainerManager.get();
        if (manager == null) {
            return new long[] {-1, -1};
        }
        try {
            long bytes = 0;
            long count = 0;
            for (NDArray a : manager.getManagedArrays()) {
                if (!a.isReleased()) {
                    bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
                    count++;
                }
            }
            return new long[] {bytes, count};
        } catch (RuntimeException raceWithTheTrainingThread) {
            return new long[] {-1, -1};
        }
    }

    /** Sum over every data point of a counter or gauge in the registry (counter names without _total). */
    private static double sum(MetricSnapshots snapshots, String name) {
        double total = 0;
        for (MetricSnapshot s : snapshots) {
            if (!s.getMetadata().getPrometheusName().equals(name) && !s.getMetadata().getName().equals(name)) {
                continue;
            }
            if (s instanceof CounterSnapshot c) {
                for (CounterSnapshot.CounterDataPointSnapshot d : c.getDataPoints()) {
                    total += d.getValue();
                }
            } else if (s instanceof GaugeSnapshot g) {
                for (GaugeSnapshot.GaugeDataPointSnapshot d : g.getDataPoints()) {
                    total += d.getValue();
                }
            }
        }
        return total;
    }
}
