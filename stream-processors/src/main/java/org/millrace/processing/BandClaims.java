package org.millrace.processing;

import java.util.List;

/**
 * The messages between {@link GlobalDedupFilter} (on every curation node) and the {@link BandShard}s
 * that own the dedup keys cluster-wide. A claim asks one shard, for each document in order, whether
 * another document already owns one of its keys held by that shard; if none does (or none is similar
 * enough), the document becomes owner of the free ones. Plain records, serialised by the cluster.
 */
public final class BandClaims {
    private BandClaims() {
    }

    /** Band index under which a document's exact-text hash travels. */
    public static final int EXACT = -1;

    /**
     * One document's keys held by one shard.
     *
     * @param bands     band index of each key ({@link #EXACT} for the exact-text hash)
     * @param keys      the keys, parallel to {@code bands}
     * @param signature the document's whole MinHash signature (the shard stores it with the keys it
     *                  registers, and compares it with the signatures of the owners it finds)
     */
    public record DocClaim(String id, int[] bands, long[] keys, long[] signature) {
    }

    /** The claims of a group's documents at one shard, in the group's order. */
    public record Request(List<DocClaim> claims) {
    }

    /**
     * The shard's answer for one document: {@code reason} null when it found no other owner (the
     * document now owns the free keys), else {@code exact_duplicate} or {@code near_duplicate} with the
     * owner it matched and their estimated Jaccard similarity.
     */
    public record Outcome(String id, String reason, String duplicateOf, double jaccard) {
        public boolean duplicate() {
            return reason != null;
        }
    }

    /** One outcome per claim, in the order of the request. */
    public record Reply(List<Outcome> outcomes) {
    }

    /**
     * The shard that owns key {@code key} of band {@code band}: a fixed mix of both, so that every
     * node computes the same owner and band keys spread evenly over shards.
     */
    public static int shardOf(int band, long key, int shards) {
        long h = key ^ (0x9E3779B97F4A7C15L * (band + 2));
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Math.floorMod(h, (long) shards);
    }
}
