package org.millrace.processing;

import java.util.LinkedHashSet;
import java.util.Set;
import org.millrace.common.Document;
import org.millrace.common.Verdict;
import org.millrace.processing.internal.DedupStore;

/**
 * Drops exact duplicates (same 64-bit hash of {@link NormalizedText}) and near duplicates (MinHash
 * LSH as FineWeb: a shared band with a document seen before), with the state in RocksDB.
 *
 * <p>Exactly once: the state is written before the Kafka transaction of the document's group
 * commits, so a crash in between replays documents that are already registered. Every key stores
 * the id of the document that owns it, and a match with the document's own id is the same document
 * seen again, not a duplicate: a replayed document is kept, as it was the first time. A document
 * dropped as a duplicate registers nothing, so its replay meets the same owner and is dropped again.
 * Writes of one document are one atomic batch; check and register run under one lock, so two
 * partitions' substreams cannot both keep the same text.
 */
public final class DedupFilter implements DocumentFilter, AutoCloseable {
    public static final String NAME = "dedup";

    private final DedupStore store;
    private final MinHash minHash;
    private final double minJaccard;
    private boolean closed;

    public DedupFilter(DedupSettings settings) {
        this.minHash = new MinHash(settings.bands(), settings.rows(), settings.shingleWords(), settings.seed());
        this.minJaccard = settings.minJaccard();
        this.store = DedupStore.open(settings.dir(), settings.blockCacheBytes(), settings.writeBufferBytes(),
                settings.maxOpenFiles(), settings.syncWrites());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        NormalizedText text = NormalizedText.shared(document.text());
        if (text.isEmpty()) {
            return Verdict.keep(document); // nothing to compare; the size filter deals with empty text
        }
        long exact = text.hash64();
        long[] signature = minHash.signature(text);
        long[] bandKeys = minHash.bandKeys(signature);
        String id = document.id();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the dedup filter is closed: its RocksDB store is shut down");
            }
            String owner = store.exactOwner(exact);
            if (owner != null) {
                return owner.equals(id) ? Verdict.keep(document)
                        : new Verdict.Drop("exact_duplicate", "same normalised text as " + owner, 1.0);
            }
            Set<String> candidates = new LinkedHashSet<>();
            String[] bandOwners = store.bandOwners(bandKeys);
            for (String o : bandOwners) {
                if (o != null && !o.equals(id)) {
                    candidates.add(o);
                }
            }
            String best = null;
            double bestJaccard = -1;
            for (String candidate : candidates) {
                long[] other = store.signature(candidate);
                double j = other == null || other.length != signature.length ? 0 : MinHash.jaccard(signature, other);
                if (j > bestJaccard) {
                    best = candidate;
                    bestJaccard = j;
                }
            }
            if (best != null && bestJaccard >= minJaccard) {
                return new Verdict.Drop("near_duplicate", String.format(java.util.Locale.ROOT,
                        "near duplicate of %s (estimated Jaccard %.3f)", best, bestJaccard), bestJaccard);
            }
            // The exact key is free here (an owner would have returned above): the owner is this document.
            store.register(id, exact, bandKeys, bandOwners, signature);
        }
        return Verdict.keep(document);
    }

    /** The store's estimate of registered documents (for reports). */
    public synchronized long estimatedDocuments() {
        return store.estimatedKeys("signatures");
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            store.close();
        }
    }
}
