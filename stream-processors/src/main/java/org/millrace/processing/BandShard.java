package org.millrace.processing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.millrace.processing.internal.DedupStore;

/**
 * One shard of the cluster-wide dedup state: the owners of the exact hashes and band keys that
 * {@link BandClaims#shardOf} maps to it, and the signatures of those owners, in a RocksDB store of
 * its own. Claims are decided one document at a time in request order (the cluster runs one shard in
 * one actor, so a shard never decides two claims at once).
 *
 * <p>Exactly once: as {@link DedupFilter}, a key owned by the claiming document's own id is the same
 * document seen again (a replay after a crash), never its own duplicate; a document found to be a
 * duplicate registers nothing in this shard, so its replay meets the same owner again.
 */
public final class BandShard implements AutoCloseable {
    private final DedupStore store;
    private final double minJaccard;

    private BandShard(DedupStore store, double minJaccard) {
        this.store = store;
        this.minJaccard = minJaccard;
    }

    /** Opens (creating if needed) shard {@code shard} under {@code baseDir}, sized as {@code settings} say. */
    public static BandShard open(DedupSettings settings, Path baseDir, int shard) {
        Path dir = baseDir.resolve("shard-" + shard);
        return new BandShard(DedupStore.open(dir, settings.blockCacheBytes(), settings.writeBufferBytes(),
                settings.maxOpenFiles(), settings.syncWrites()), settings.minJaccard());
    }

    public BandClaims.Reply claim(BandClaims.Request request) {
        List<BandClaims.Outcome> out = new ArrayList<>(request.claims().size());
        for (BandClaims.DocClaim c : request.claims()) {
            out.add(claim(c));
        }
        return new BandClaims.Reply(out);
    }

    private BandClaims.Outcome claim(BandClaims.DocClaim c) {
        String id = c.id();
        Long exact = null;
        int n = 0;
        for (int band : c.bands()) {
            n += band == BandClaims.EXACT ? 0 : 1;
        }
        int[] bands = new int[n];
        long[] keys = new long[n];
        for (int i = 0, j = 0; i < c.bands().length; i++) {
            if (c.bands()[i] == BandClaims.EXACT) {
                exact = c.keys()[i];
            } else {
                bands[j] = c.bands()[i];
                keys[j++] = c.keys()[i];
            }
        }
        if (exact != null) {
            String owner = store.exactOwner(exact);
            if (owner != null && !owner.equals(id)) {
                return new BandClaims.Outcome(id, "exact_duplicate", owner, 1.0);
            }
        }
        String[] owners = store.bandOwners(bands, keys);
        String best = null;
        double bestJaccard = -1;
        for (String o : owners) {
            if (o != null && !o.equals(id) && !o.equals(best)) {
                long[] other = store.signature(o);
                double j = other == null || other.length != c.signature().length ? 0 : MinHash.jaccard(c.signature(), other);
                if (j > bestJaccard) {
                    best = o;
                    bestJaccard = j;
                }
            }
        }
        if (best != null && bestJaccard >= minJaccard) {
            return new BandClaims.Outcome(id, "near_duplicate", best, bestJaccard);
        }
        store.register(id, exact, bands, keys, owners, n > 0 ? c.signature() : null);
        return new BandClaims.Outcome(id, null, null, 0.0);
    }

    /** Human-readable count of what the shard holds (for logs). */
    public String describe() {
        return String.format(Locale.ROOT, "%d exact hashes, %d band keys, %d signatures",
                store.estimatedKeys("exact"), store.estimatedKeys("bands"), store.estimatedKeys("signatures"));
    }

    @Override
    public void close() {
        store.close();
    }
}
