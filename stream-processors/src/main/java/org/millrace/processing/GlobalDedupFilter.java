package org.millrace.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.millrace.common.Document;
import org.millrace.common.Verdict;

/**
 * Dedup across every curation node: the same exact and MinHash LSH tests as {@link DedupFilter}, with
 * the state split by key over shards that the cluster places on its nodes ({@link BandShard} behind
 * each, reached through {@link Shards}). Near duplicates that land on different Kafka partitions, and
 * hence on different nodes, still meet at the shard that owns the band key they share.
 *
 * <p>Every document visits its shards in one fixed order: the shard of its exact hash first, then the
 * shards of its band keys by ascending number. A group goes in waves: wave w carries every undecided
 * document's w-th stop, one request per shard, all shards of a wave at once (at most 1 + bands round
 * trips per group, whatever the number of shards). A document found to be a duplicate at one shard stops there. Because every document visits
 * the shards it shares with another in the same order, and each shard decides one claim at a time, of
 * two near duplicates racing on two nodes exactly one finds the other first: never both dropped,
 * never both kept. Keys a document claimed at earlier shards before it was found to be a duplicate stay
 * claimed, so later near duplicates of it are dropped too (they are in the same cluster of similar
 * documents). A claim by the document's own id is itself seen again (a replay), so replays keep what
 * was kept and drop what was dropped.
 */
public final class GlobalDedupFilter implements GroupFilter, AutoCloseable {
    public static final String NAME = DedupFilter.NAME;

    /** The cluster's shards: how many, and a blocking claim at one (retries are the caller's job; claims are idempotent). */
    public interface Shards {
        int count();

        BandClaims.Reply claim(int shard, BandClaims.Request request);

        /** The claim without blocking; the shards of one wave are asked at once. */
        default java.util.concurrent.CompletionStage<BandClaims.Reply> claimAsync(int shard, BandClaims.Request request) {
            return CompletableFuture.completedFuture(claim(shard, request));
        }
    }

    private final MinHash minHash;
    private final Shards shards;
    private final int maxClaimsPerRequest;

    public GlobalDedupFilter(DedupSettings settings, Shards shards, int maxClaimsPerRequest) {
        if (maxClaimsPerRequest < 1) {
            throw new IllegalArgumentException("claims per request must be >= 1, got " + maxClaimsPerRequest);
        }
        this.minHash = new MinHash(settings.bands(), settings.rows(), settings.shingleWords(), settings.seed());
        this.shards = shards;
        this.maxClaimsPerRequest = maxClaimsPerRequest;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Verdict> applyAll(List<Document> documents) {
        int n = documents.size();
        Verdict[] verdicts = new Verdict[n];
        long[][] signatures = new long[n][];
        long[] exact = new long[n];
        long[][] bandKeys = new long[n][];
        for (int i = 0; i < n; i++) {
            NormalizedText text = NormalizedText.of(documents.get(i).text());
            if (text.isEmpty()) {
                verdicts[i] = Verdict.keep(documents.get(i)); // nothing to compare; the size filter deals with empty text
                continue;
            }
            exact[i] = text.hash64();
            signatures[i] = minHash.signature(text);
            bandKeys[i] = minHash.bandKeys(signatures[i]);
        }
        int count = shards.count();
        // Each document's route: its exact hash's shard first (so that an exact copy is reported as one),
        // then the shards of its band keys in ascending order. Wave w sends every document's w-th stop,
        // one request per shard, all shards of the wave at once.
        int[][] route = new int[n][];
        int waves = 0;
        for (int i = 0; i < n; i++) {
            if (verdicts[i] != null) {
                continue;
            }
            java.util.TreeSet<Integer> bandShards = new java.util.TreeSet<>();
            for (int b = 0; b < bandKeys[i].length; b++) {
                bandShards.add(BandClaims.shardOf(b, bandKeys[i][b], count));
            }
            route[i] = new int[bandShards.size() + 1];
            route[i][0] = BandClaims.shardOf(BandClaims.EXACT, exact[i], count);
            int k = 1;
            for (int shard : bandShards) {
                route[i][k++] = shard;
            }
            waves = Math.max(waves, route[i].length);
        }
        for (int wave = 0; wave < waves; wave++) {
            TreeMap<Integer, List<int[]>> stops = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                if (verdicts[i] != null || route[i].length <= wave) {
                    continue;
                }
                int shard = route[i][wave];
                List<int[]> pairs = stops.computeIfAbsent(shard, k -> new ArrayList<>());
                if (wave == 0) {
                    pairs.add(new int[] {i, BandClaims.EXACT});
                } else {
                    for (int b = 0; b < bandKeys[i].length; b++) {
                        if (BandClaims.shardOf(b, bandKeys[i][b], count) == shard) {
                            pairs.add(new int[] {i, b});
                        }
                    }
                }
            }
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (var e : stops.entrySet()) {
                inFlight.add(visit(e.getKey(), e.getValue(), documents, verdicts, exact, bandKeys, signatures));
            }
            try {
                CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        List<Verdict> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(verdicts[i] == null ? Verdict.keep(documents.get(i)) : verdicts[i]);
        }
        return out;
    }

    /**
     * Claims at one shard the keys of the documents still undecided, in group order, in requests of
     * bounded size sent one after the other; completes when the shard has answered them all.
     */
    private CompletableFuture<Void> visit(int shard, List<int[]> pairs, List<Document> documents, Verdict[] verdicts, long[] exact,
                                          long[][] bandKeys, long[][] signatures) {
        List<BandClaims.DocClaim> claims = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        int p = 0;
        while (p < pairs.size()) {
            int doc = pairs.get(p)[0];
            int end = p;
            while (end < pairs.size() && pairs.get(end)[0] == doc) {
                end++;
            }
            int[] bands = new int[end - p];
            long[] keys = new long[end - p];
            for (int k = p; k < end; k++) {
                int band = pairs.get(k)[1];
                bands[k - p] = band;
                keys[k - p] = band == BandClaims.EXACT ? exact[doc] : bandKeys[doc][band];
            }
            claims.add(new BandClaims.DocClaim(documents.get(doc).id(), bands, keys, signatures[doc]));
            owners.add(doc);
            p = end;
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < claims.size(); from += maxClaimsPerRequest) {
            int lo = from;
            int hi = Math.min(claims.size(), from + maxClaimsPerRequest);
            BandClaims.Request request = new BandClaims.Request(List.copyOf(claims.subList(lo, hi)));
            chain = chain.thenCompose(x -> shards.claimAsync(shard, request)).thenAccept(reply -> {
                if (reply.outcomes().size() != hi - lo) {
                    throw new IllegalStateException("dedup shard " + shard + " answered " + reply.outcomes().size()
                            + " outcomes to " + (hi - lo) + " claims");
                }
                for (int k = lo; k < hi; k++) {
                    BandClaims.Outcome o = reply.outcomes().get(k - lo);
                    if (o.duplicate()) {
                        // each document is in one request of a wave: no other thread writes this slot
                        verdicts[owners.get(k)] = new Verdict.Drop(o.reason(), o.reason().equals("exact_duplicate")
                                ? "same normalised text as " + o.duplicateOf()
                                : String.format(Locale.ROOT, "near duplicate of %s (estimated Jaccard %.3f)", o.duplicateOf(), o.jaccard()),
                                o.jaccard());
                    }
                }
            });
        }
        return chain;
    }

    /** The shards belong to the cluster, not to one stream: nothing to close here. */
    @Override
    public void close() {
    }
}
