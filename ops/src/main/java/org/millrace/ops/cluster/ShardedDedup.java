package org.millrace.ops.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.millrace.processing.BandClaims;
import org.millrace.processing.GlobalDedupFilter;

/**
 * The dedup shards of the cluster as {@link GlobalDedupFilter} sees them: a claim is a message to the
 * shard's entity, answered wherever sharding placed it. A claim that gets no answer (its shard is on a
 * node that has just failed and not yet been downed) is sent again until the claim deadline: claims are
 * idempotent, since a document's own keys are its own on the second visit.
 */
public final class ShardedDedup implements GlobalDedupFilter.Shards {
    private final ClusterSharding sharding;
    private final ClusterSettings.Dedup settings;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    public ShardedDedup(ActorSystem<?> system, ClusterSettings.Dedup settings) {
        this.sharding = ClusterSharding.get(system);
        this.settings = settings;
    }

    @Override
    public int count() {
        return settings.shards();
    }

    @Override
    public BandClaims.Reply claim(int shard, BandClaims.Request request) {
        try {
            return claimAsync(shard, request).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public CompletionStage<BandClaims.Reply> claimAsync(int shard, BandClaims.Request request) {
        requests.incrementAndGet();
        DedupMetrics.INSTANCE.claimRequests.inc();
        return attempt(shard, request, System.nanoTime() + settings.claimDeadline().toNanos());
    }

    private CompletionStage<BandClaims.Reply> attempt(int shard, BandClaims.Request request, long deadline) {
        return sharding.entityRefFor(DedupShardEntity.TYPE_KEY, Integer.toString(shard))
                .<BandClaims.Reply>ask(replyTo -> new DedupShardEntity.Claim(request, replyTo), settings.askTimeout())
                .handle((reply, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(reply);
                    }
                    if (System.nanoTime() > deadline) {
                        return CompletableFuture.<BandClaims.Reply>failedFuture(new IllegalStateException("dedup shard " + shard
                                + " did not answer within millrace.cluster.dedup.claim-deadline " + settings.claimDeadline()
                                + ": " + failure.getMessage(), failure));
                    }
                    retries.incrementAndGet();
                    DedupMetrics.INSTANCE.claimRetries.inc();
                    return attempt(shard, request, deadline);
                })
                .thenCompose(f -> f);
    }

    /** Claim messages sent (each retry counts once more in {@link #retries()}). */
    public long requests() {
        return requests.get();
    }

    public long retries() {
        return retries.get();
    }
}
