package org.millrace.producers;

import com.typesafe.config.Config;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.common.Settings;
import org.millrace.producers.readers.DocumentReader;

/**
 * Reads documents with a {@link DocumentReader} and hands them to a {@link DocumentSink}, reporting
 * documents/s and MB/s as it goes. Skipped inputs are counted and passed to the listener; the run
 * never stops for them. A failing sink (Kafka down) does stop it: that is not the input's fault.
 */
public final class Ingest {
    public static final String PROGRESS_INTERVAL = "millrace.ingest.progress-interval";
    public static final String THREADS = "millrace.ingest.threads";
    private final Duration progressInterval;
    private final int threads;
    private final IngestListener listener;

    /** A single-threaded ingestion: the sink and the listener are called from the calling thread only. */
    public Ingest(Duration progressInterval, IngestListener listener) {
        this(progressInterval, 1, listener);
    }

    /**
     * @param threads threads reading the input's parts ({@link DocumentReader#split()}) concurrently; with
     *                more than one, the sink and the listener's {@code skipped} are called from all of them
     */
    public Ingest(Duration progressInterval, int threads, IngestListener listener) {
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException(PROGRESS_INTERVAL + " = " + progressInterval + " is invalid: must be positive");
        }
        if (threads < 1) {
            throw new IllegalArgumentException(THREADS + " = " + threads + " is invalid: must be >= 1");
        }
        this.progressInterval = progressInterval;
        this.threads = threads;
        this.listener = listener;
    }

    /** Settings of {@code millrace.ingest}; the sink must be thread-safe when {@code threads} is above 1. */
    public static Ingest fromConfig(Config config, IngestListener listener) {
        return new Ingest(Settings.positiveDuration(config, PROGRESS_INTERVAL), Settings.positiveInt(config, THREADS), listener);
    }

    /** Reads everything {@code reader} yields into {@code sink}, flushes it, and returns the counts. */
    public IngestStats run(DocumentReader reader, DocumentSink sink) {
        if (threads > 1) {
            List<DocumentReader> parts = reader.split();
            if (parts.size() > 1) {
                return new ParallelIngest(parts, Math.min(threads, parts.size()), progressInterval, listener).run(sink);
            }
        }
        return sequential(reader, sink);
    }

    private IngestStats sequential(DocumentReader reader, DocumentSink sink) {
        long start = System.nanoTime();
        long cpuStart = threadCpuNanos();
        long interval = progressInterval.toNanos();
        long nextReport = start + interval;
        long documents = 0;
        long bytes = 0;
        AtomicLong skipped = new AtomicLong();
        try (Stream<Document> docs = reader.documents(report -> {
            skipped.incrementAndGet();
            listener.skipped(report);
        })) {
            Iterator<Document> it = docs.iterator();
            while (it.hasNext()) {
                Document d = it.next();
                bytes += sink.acceptCounting(d);
                documents++;
                long now = System.nanoTime();
                if (now >= nextReport) {
                    listener.progress(new IngestStats(documents, bytes, skipped.get(), Duration.ofNanos(now - start),
                            Duration.ofNanos(threadCpuNanos() - cpuStart)));
                    nextReport = now + interval;
                }
            }
        }
        sink.flush();
        IngestStats total = new IngestStats(documents, bytes, skipped.get(), Duration.ofNanos(System.nanoTime() - start),
                Duration.ofNanos(threadCpuNanos() - cpuStart));
        listener.finished(total);
        return total;
    }

    /** CPU time of the calling thread, 0 where the JVM does not measure it. */
    static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? Math.max(0, threads.getCurrentThreadCpuTime()) : 0;
    }

    /** UTF-8 length of a string without encoding it. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
