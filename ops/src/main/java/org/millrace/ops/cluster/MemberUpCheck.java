package org.millrace.ops.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;

/**
 * Readiness of a node for pekko-management's {@code /ready} (the Kubernetes readiness probe): ready once
 * this node is an Up (or weakly up) member, not while it is still joining, and no longer once it leaves.
 */
public final class MemberUpCheck implements Supplier<CompletionStage<Boolean>> {
    private final Cluster cluster;

    public MemberUpCheck(ActorSystem system) {
        this.cluster = Cluster.get(system);
    }

    @Override
    public CompletionStage<Boolean> get() {
        MemberStatus status = cluster.selfMember().status();
        return CompletableFuture.completedFuture(status == MemberStatus.up() || status == MemberStatus.weaklyUp());
    }
}
