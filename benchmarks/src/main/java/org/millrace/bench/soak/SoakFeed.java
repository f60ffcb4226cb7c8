package org.millrace.bench.soak;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.millrace.common.Document;
import org.millrace.common.Topics;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.synth.ProgrammaticSynth;

/**
 * The documents of a soak: the seed documents once, then programmatic synthetic documents without end
 * (each one different, so each one is curated and packed). It publishes while fewer than
 * {@code maxDocsInFlight} documents wait for curation, so curation runs at its own full speed, not the
 * trainer's; the soak's broker bounds what piles up on the batch topics by retention.
 */
final class SoakFeed implements Runnable {
    private static final int CHUNK = 64;

    private final Map<String, Object> kafka;
    private final Topics topics;
    private final List<Document> seed;
    private final LongSupplier docsCurated;
    private final int maxDocsInFlight;
    private volatile boolean running = true;
    private volatile long published;
    private volatile Throwable failure;

    SoakFeed(Map<String, Object> kafka, Topics topics, List<Document> seed, LongSupplier docsCurated, int maxDocsInFlight) {
        this.kafka = kafka;
        this.topics = topics;
        this.seed = seed;
        this.docsCurated = docsCurated;
        this.maxDocsInFlight = maxDocsInFlight;
    }

    @Override
    public void run() {
        ProgrammaticSynth synth = new ProgrammaticSynth(20_261_126L, Optional.empty());
        try (DocumentPublisher publisher = new DocumentPublisher(kafka, topics)) {
            seed.forEach(publisher::publish);
            publisher.flush();
            published = publisher.published();
            long next = 0;
            while (running) {
                if (published - docsCurated.getAsLong() >= maxDocsInFlight) {
                    Thread.sleep(20);
                    continue;
                }
                synth.documents(next, CHUNK).forEach(publisher::publish);
                next += CHUNK;
                publisher.flush();
                published = publisher.published();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    void stop() {
        running = false;
    }

    long published() {
        return published;
    }

    Throwable failure() {
        return failure;
    }
}
