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
    /** Where the store keeps the position of the last changelog record it holds. */
    private static final byte CHANGELOG_POSITION = 100;

    /**
     * What one claim newly registered in a shard: the keys it became owner of ({@code exact} null when
     * the exact hash was not among them) and its signature.
     */
    public record Registration(String id, Long exact, int[] bands, long[] keys, long[] signature) {
    }

    /**
     * A durable log of a shard's registrations (a compacted Kafka topic in the cluster), from which the
     * shard's store is rebuilt where it starts without its directory (another node's disk).
     */
    public interface Changelog {
        /**
         * Appends the records and returns the position up to which the log is known to hold this shard's
         * records (the last appended when it waits for them; -1 when none is known yet).
         */
        long append(int shard, List<Registration> registrations);
    }

    private final DedupStore store;
    private final double minJaccard;
    private final int shard;
    private final Changelog changelog;

    private BandShard(DedupStore store, double minJaccard, int shard, Changelog changelog) {
        this.store = store;
        this.minJaccard = minJaccard;
        this.shard = shard;
        this.changelog = changelog;
    }

    /** Opens (creating if needed) shard {@code shard} under {@code baseDir}, sized as {@code settings} say. */
    public static BandShard open(DedupSettings settings, Path baseDir, int shard) {
        return open(settings, baseDir, shard, null);
    }

    /** As {@link #open(DedupSettings, Path, int)}, appending every registration to {@code changelog} (null: none). */
    public static BandShard open(DedupSettings settings, Path baseDir, int shard, Changelog changelog) {
        Path dir = baseDir.resolve("shard-" + shard);
        return new BandShard(DedupStore.open(dir, settings.blockCacheBytes(), settings.writeBufferBytes(),
                settings.maxOpenFiles(), settings.syncWrites()), settings.minJaccard(), shard, changelog);
    }

    /** Position of the last changelog record this store holds (-1: none), from which a replay goes on. */
    public long changelogPosition() {
        return store.meta(CHANGELOG_POSITION);
    }

    /**
     * Applies a changelog record (rebuilding the store): keys already owned keep their owner, so records
     * applied twice, or after the store's own registrations, change nothing.
     */
    public void apply(Registration r, long position) {
        Long exact = r.exact() != null && store.exactOwner(r.exact()) == null ? r.exact() : null;
        String[] owners = store.bandOwners(r.bands(), r.keys());
        store.register(r.id(), exact, r.bands(), r.keys(), owners, r.signature());
        store.putMeta(CHANGELOG_POSITION, position);
    }

    /**
     * Decides the claims of a request in order. With a changelog, what they registered is appended to
     * it before the reply goes out, so a kept document's keys outlive this node's disk.
     */
    public BandClaims.Reply claim(BandClaims.Request request) {
        List<BandClaims.Outcome> out = new ArrayList<>(request.claims().size());
        List<Registration> registered = new ArrayList<>();
        for (BandClaims.DocClaim c : request.claims()) {
            out.add(claim(c, registered));
        }
        if (changelog != null && !registered.isEmpty()) {
            long position = changelog.append(shard, registered);
            if (position > store.meta(CHANGELOG_POSITION)) {
                store.putMeta(CHANGELOG_POSITION, position);
            }
        }
        return new BandClaims.Reply(out);
    }

    private BandClaims.Outcome claim(BandClaims.DocClaim c, List<Registration> registered) {
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
        Long newExact = exact != null && store.exactOwner(exact) == null ? exact : null;
        store.register(id, exact, bands, keys, owners, n > 0 ? c.signature() : null);
        int fresh = 0;
        for (String o : owners) {
            fresh += o == null ? 1 : 0;
        }
        if (newExact != null || fresh > 0) {
            int[] freshBands = new int[fresh];
            long[] freshKeys = new long[fresh];
            for (int i = 0, j = 0; i < owners.length; i++) {
                if (owners[i] == null) {
                    freshBands[j] = bands[i];
                    freshKeys[j++] = keys[i];
                }
            }
            registered.add(new Registration(id, newExact, freshBands, freshKeys, fresh > 0 ? c.signature() : null));
        }
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
