package org.millrace.producers;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.producers.readers.DocumentReader;
import org.millrace.producers.readers.SkipReport;

/**
 * Ingestion on several threads: each takes the next part of the input (largest first) and reads it
 * into the sink, so reading, decoding, JSON encoding and compression (done by the producer in the
 * sending thread) use every core. A part that fails while reading is reported and abandoned; a sink
 * that fails stops the whole run.
 */
final class ParallelIngest {
    private final List<DocumentReader> parts;
    private final int threads;
    private final Duration progressInterval;
    private final IngestListener listener;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong documents = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong readingCpuNanos = new AtomicLong();
    private final AtomicReference<RuntimeException> sinkFailure = new AtomicReference<>();

    ParallelIngest(List<DocumentReader> parts, int threads, Duration progressInterval, IngestListener listener) {
        this.parts = parts;
        this.threads = threads;
        this.progressInterval = progressInterval;
        this.listener = listener;
    }

    IngestStats run(DocumentSink sink) {
        long start = System.nanoTime();
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "millrace-ingest-" + names.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threads; i++) {
            pool.execute(() -> lane(sink));
        }
        pool.shutdown();
        try {
            while (!pool.awaitTermination(progressInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                listener.progress(stats(start));
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ingestion interrupted", e);
        }
        if (sinkFailure.get() != null) {
            throw sinkFailure.get();
        }
        sink.flush();
        IngestStats total = stats(start);
        listener.finished(total);
        return total;
    }

    private void lane(DocumentSink sink) {
        int i;
        while (sinkFailure.get() == null && (i = next.getAndIncrement()) < parts.size()) {
            DocumentReader part = parts.get(i);
            long cpuStart = Ingest.threadCpuNanos();
            try (Stream<Document> docs = part.documents(this::skip)) {
                Iterator<Document> it = docs.iterator();
                while (sinkFailure.get() == null && hasNext(it, part)) {
                    Document d = it.next();
                    long n;
                    try {
                        n = sink.acceptCounting(d);
                    } catch (RuntimeException e) {
                        sinkFailure.compareAndSet(null, e);
                        return;
                    }
                    documents.incrementAndGet();
                    bytes.addAndGet(n);
                }
            } finally {
                readingCpuNanos.addAndGet(Ingest.threadCpuNanos() - cpuStart);
            }
        }
    }

    /** Whether the part has another document; a reader that breaks is reported, as the sequential read does. */
    private boolean hasNext(Iterator<Document> it, DocumentReader part) {
        try {
            return it.hasNext();
        } catch (RuntimeException e) {
            skip(new SkipReport(part.describe(), 0, "reading stopped: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            return false;
        }
    }

    private void skip(SkipReport report) {
        skipped.incrementAndGet();
        listener.skipped(report);
    }

    private IngestStats stats(long start) {
        return new IngestStats(documents.get(), bytes.get(), skipped.get(), Duration.ofNanos(System.nanoTime() - start),
                Duration.ofNanos(readingCpuNanos.get()));
    }
}
