package org.millrace.ops.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.millrace.common.Document;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.SkipListener;

/**
 * The training sources of a fetched corpus, published once per data directory: one document of each
 * source in turn (so that every curriculum bucket has data early), the head of every source before
 * training starts and the rest on a background thread while it trains. Progress is kept in the
 * {@link IngestLedger} (a position in that fixed order, recorded only after Kafka acknowledged
 * everything before it), so a run stopped half-way resumes where the last one stopped. One document
 * in {@code heldOutEvery} (by id) never reaches training; the first of them are the held-out set.
 */
final class CorpusFeed implements AutoCloseable {
    private static final long RECORD_EVERY_NANOS = 5_000_000_000L;
    private final CorpusSources sources;
    private final Set<String> excludedIds;
    private final DocumentPublisher publisher;
    private final IngestLedger ledger;
    private final String key;
    private final ProgressLine progress;
    private final int heldOutEvery;
    private final long alreadyPublished;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong skipped = new AtomicLong();
    private final List<String> heldOut = new ArrayList<>();
    private long heldOutBytes;
    private long position;
    private volatile long published;
    private volatile long excluded;
    private Thread background;

    /**
     * @param excludedIds ids of documents the evaluation sets hold out: read (their place in the order counts)
     *                    but never published
     */
    CorpusFeed(Path corpusDir, CorpusManifest manifest, ReaderOptions options, Set<String> excludedIds, DocumentPublisher publisher,
               IngestLedger ledger, int heldOutEvery, ProgressLine progress) {
        this.publisher = publisher;
        this.ledger = ledger;
        this.progress = progress;
        this.heldOutEvery = heldOutEvery;
        this.excludedIds = excludedIds;
        this.key = fingerprint(manifest);
        this.alreadyPublished = ledger.published(key).orElse(0);
        SkipListener skips = report -> {
            if (skipped.incrementAndGet() <= 5) {
                progress.println("corpus: skipped " + report);
            }
        };
        this.sources = new CorpusSources(corpusDir, manifest, options, skips);
    }

    /** Whether a corpus document is held out of training by the run's own rule (1 in {@code every}, by id). */
    static boolean heldOut(Document d, int every) {
        return Math.floorMod(d.id().hashCode(), every) == 0;
    }

    /** A fingerprint of the training sources' contents: the ledger key of this corpus. */
    static String fingerprint(CorpusManifest manifest) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (CorpusManifest.Source s : manifest.trainingSources()) {
                sha.update((s.name() + " " + s.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return "corpus:" + HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    boolean complete() {
        return ledger.contains(key + ":complete");
    }

    /**
     * Publishes the first {@code perSource} documents of every source (those not published by an earlier
     * run) and collects held-out texts up to {@code heldOutBudget} bytes from them.
     */
    List<String> foreground(int perSource, long heldOutBudget) {
        long t0 = System.nanoTime();
        int[] taken = new int[sources.size()];
        boolean more = true;
        while (more) {
            more = false;
            for (int i = 0; i < sources.size(); i++) {
                Document d;
                if (taken[i] < perSource && (d = sources.next(i)) != null) {
                    take(d, heldOutBudget);
                    taken[i]++;
                    more = true;
                }
            }
        }
        sources.restartTurns();
        publisher.flush();
        record();
        progress.println(String.format(Locale.ROOT, "corpus: %,d documents published before training (%d sources, %,d held out, %,d kept for the evaluation sets) in %.1f s%s",
                published, sources.size(), heldOut.size(), excluded, (System.nanoTime() - t0) / 1e9,
                alreadyPublished > 0 ? String.format(Locale.ROOT, "; the first %,d in order were done by earlier runs", alreadyPublished) : ""));
        return List.copyOf(heldOut);
    }

    /** Publishes the rest, one document of each source in turn, on a background thread. */
    void background() {
        background = new Thread(() -> {
            long t0 = System.nanoTime();
            long lastRecord = t0;
            try {
                Document d;
                while (!stop.get() && (d = sources.nextInTurn()) != null) {
                    take(d, 0);
                    if (System.nanoTime() - lastRecord > RECORD_EVERY_NANOS) {
                        publisher.flush();
                        record();
                        lastRecord = System.nanoTime();
                    }
                }
                publisher.flush();
                record();
                if (!stop.get()) {
                    ledger.record(key + ":complete", position);
                    progress.println(String.format(Locale.ROOT, "corpus: all %,d documents read, %,d published by this run, %,d kept for the evaluation sets (%,d skipped) in %.1f s in the background",
                            position, published, excluded, skipped.get(), (System.nanoTime() - t0) / 1e9));
                }
            } catch (RuntimeException e) {
                progress.println("corpus: publishing in the background stopped: " + e.getMessage());
            }
        }, "millrace-corpus-feed");
        background.setDaemon(true);
        background.start();
    }

    private void take(Document d, long heldOutBudget) {
        position++;
        if (excludedIds.contains(d.id())) {
            excluded++;
            return;
        }
        if (heldOut(d, heldOutEvery)) {
            long bytes = d.text().getBytes(StandardCharsets.UTF_8).length;
            if (heldOutBytes + bytes <= heldOutBudget) {
                heldOut.add(d.text());
                heldOutBytes += bytes;
            }
            return;
        }
        if (position > alreadyPublished) {
            publisher.publish(d);
            published++;
        }
    }

    private void record() {
        if (position > alreadyPublished) {
            ledger.record(key, position);
        }
    }

    /** Stops the background publishing (training is over), records how far it got, and closes the readers. */
    @Override
    public void close() {
        stop.set(true);
        if (background != null) {
            try {
                background.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (background == null || !background.isAlive()) {
            sources.close();
        }
        if (!complete() && background != null) {
            progress.println(String.format(Locale.ROOT, "corpus: %,d of its documents read so far; the next run goes on from there", position));
        }
    }

    List<String> sourceNames() {
        return sources.names();
    }

    /** Documents published by this run (not counting those of earlier runs). */
    long published() {
        return published;
    }

    /** Documents passed over because the evaluation sets hold them out. */
    long excluded() {
        return excluded;
    }
}
