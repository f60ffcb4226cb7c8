package org.millrace.ops.cluster;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.millrace.processing.BandClaims;
import org.millrace.processing.BandShard;
import org.millrace.processing.DedupSettings;

/**
 * One dedup shard as a Cluster Sharding entity on the {@code process} nodes: the actor decides the
 * claims sent to it one at a time against its {@link BandShard} (RocksDB under the dedup directory,
 * {@code shard-<n>}). When its node fails, sharding starts it again on another process node, which opens
 * the directory there (the same one on one machine or a shared volume) and brings it up to date from the
 * shards' Kafka changelog ({@link KafkaShardChangelog}) before it answers a claim.
 */
public final class DedupShardEntity {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "millrace-dedup-shard");

    /** Messages of a shard. */
    public interface Command extends ClusterMessage {
    }

    /** Claim the keys of a group's documents that this shard holds; the reply has one outcome per claim. */
    public record Claim(BandClaims.Request request, ActorRef<BandClaims.Reply> replyTo) implements Command {
    }

    private DedupShardEntity() {
    }

    /** The entity definition: on {@code process} nodes, never passivated (a shard's store stays open). */
    public static Entity<Command, ?> entity(DedupSettings dedup, ClusterSettings.Dedup cluster,
                                            org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return entity(dedup, cluster, null, system);
    }

    /** As above, with the shards' registrations in {@code changelog} (null: the directory alone holds them). */
    public static Entity<Command, ?> entity(DedupSettings dedup, ClusterSettings.Dedup cluster, KafkaShardChangelog changelog,
                                            org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return Entity.of(TYPE_KEY, ctx -> create(dedup, cluster, changelog, Integer.parseInt(ctx.getEntityId())))
                .withRole(NodeRole.PROCESS.wireName())
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy())
                .withEntityProps(DispatcherSelector.fromConfig(ClusterConfig.DEDUP_DISPATCHER));
    }

    static Behavior<Command> create(DedupSettings dedup, ClusterSettings.Dedup cluster, KafkaShardChangelog changelog, int shard) {
        Behavior<Command> open = Behaviors.setup(ctx -> {
            BandShard store = BandShard.open(dedup, cluster.dir(), shard, changelog);
            if (changelog != null) {
                try {
                    long applied = changelog.replay(shard, store);
                    DedupMetrics.INSTANCE.changelogReplayed.inc(applied);
                    if (applied > 0) {
                        System.out.println("millrace node: dedup shard " + shard + " caught up on " + applied + " changelog records");
                    }
                } catch (RuntimeException e) {
                    store.close();
                    throw e;
                }
            }
            ctx.getLog().info("dedup shard {} opened: {}", shard, store.describe());
            return Behaviors.receive(Command.class)
                    .onMessage(Claim.class, m -> {
                        m.replyTo().tell(store.claim(m.request()));
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, s -> {
                        store.close();
                        return Behaviors.same();
                    })
                    .build();
        });
        // The store of a shard that has just moved may still be closing on its old node: try again.
        return Behaviors.supervise(open).onFailure(SupervisorStrategy.restartWithBackoff(
                Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    }
}
