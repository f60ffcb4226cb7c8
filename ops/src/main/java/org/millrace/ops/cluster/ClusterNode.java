package org.millrace.ops.cluster;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.MetricsServer;
import org.millrace.training.diloco.DilocoRemoting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a Millrace cluster: joins (seed nodes, or Kubernetes discovery through cluster bootstrap),
 * then starts what its roles ask for. Stopping (SIGTERM, or being downed by the split-brain resolver)
 * runs Pekko's coordinated shutdown: the node's components are closed first (the curation stream commits
 * what it has in flight), then the node leaves the cluster, then the JVM exits.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final ActorSystem<Void> system;
    private final KafkaConnection kafka;
    private final MetricsServer metrics;
    private final List<AutoCloseable> components;
    private final CurationRole curation;

    private ClusterNode(ActorSystem<Void> system, KafkaConnection kafka, MetricsServer metrics,
                        List<AutoCloseable> components, CurationRole curation) {
        this.system = system;
        this.kafka = kafka;
        this.metrics = metrics;
        this.components = components;
        this.curation = curation;
    }

    /**
     * Starts the node and returns once it is a member that is up and its roles run.
     *
     * @param config  the loaded settings (with {@code millrace.cluster} as the command line set it)
     * @param exitJvm whether a downed node exits its JVM (off in tests that run a node in their own JVM)
     */
    public static ClusterNode start(Config config, Path dataDir, boolean exitJvm) throws Exception {
        ClusterSettings cluster = ClusterSettings.fromConfig(config, dataDir);
        // DiLoCo's coordinator and workers talk over Artery's large-message stream (their paths, a frame that holds a chunk)
        Config nodeConfig = DilocoRemoting.withLargeMessages(ClusterConfig.forNode(cluster, config));
        if (!exitJvm) {
            nodeConfig = com.typesafe.config.ConfigFactory.parseString(
                    "pekko.coordinated-shutdown.exit-jvm = off\npekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                    .withFallback(nodeConfig);
        }
        Topics topics = Topics.fromConfig(config);
        KafkaConnection kafka = KafkaConnection.open(config, dataDir);
        MetricsServer metrics = null;
        ActorSystem<Void> system = null;
        List<AutoCloseable> components = new ArrayList<>();
        try {
            kafka.ensureTopics(topics);
            metrics = MetricsServer.start(config.getString("millrace.metrics.host"), Settings.nonNegativeInt(config, "millrace.metrics.port"));
            system = ActorSystem.create(guardian(), cluster.systemName(), nodeConfig);
            CompletableFuture<Void> up = new CompletableFuture<>();
            org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system)).registerOnMemberUp(() -> up.complete(null));
            if (cluster.bootstrap().enabled()) {
                PekkoManagement.get(system).start();
                ClusterBootstrap.get(system).start();
            }
            String self = org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system)).selfAddress().toString();
            System.out.println("millrace node: " + self + " joining with roles " + names(cluster.roles())
                    + (cluster.bootstrap().enabled() ? " (bootstrap: " + cluster.bootstrap().discoveryMethod() + ")"
                    : " (seed nodes " + cluster.seedNodes() + ")") + "; metrics on port " + metrics.port());
            up.get(Settings.positiveDuration(config, "millrace.cluster.join-timeout").toMillis(), TimeUnit.MILLISECONDS);
            System.out.println("millrace node: " + self + " is up");

            String nodeId = cluster.host().replace('.', '-') + "-" + org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system)).selfAddress().getPort().get();
            NodeContext context = new NodeContext(system, config, cluster, dataDir, kafka.clientProperties(), topics, cluster.roles(), nodeId);
            CurationRole curation = null;
            if (context.has(NodeRole.PROCESS)) {
                curation = CurationRole.start(context);
                components.add(curation);
            }
            if (context.has(NodeRole.OPS)) {
                components.add(OpsRole.start(context));
            }
            components.addAll(BuiltInRoles.start(context));
            for (NodeComponent c : ServiceLoader.load(NodeComponent.class)) {
                if (c.roles().stream().anyMatch(context::has)) {
                    components.add(c.start(context));
                    System.out.println("millrace node: started " + c.getClass().getSimpleName());
                }
            }
            ClusterNode node = new ClusterNode(system, kafka, metrics, components, curation);
            // components stop before the node leaves the cluster, so that in-flight work commits while the shards are still there
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "millrace-components", () -> {
                node.closeComponents();
                return CompletableFuture.completedFuture(Done.getInstance());
            });
            return node;
        } catch (Exception | Error e) {
            closeQuietly(components);
            if (system != null) {
                system.terminate();
            }
            if (metrics != null) {
                metrics.close();
            }
            kafka.close();
            throw e;
        }
    }

    private static Behavior<Void> guardian() {
        return Behaviors.setup(ctx -> {
            ctx.spawn(ClusterMembers.log(), "membership-log");
            return Behaviors.empty();
        });
    }

    static List<String> names(Set<NodeRole> roles) {
        return roles.stream().map(NodeRole::wireName).toList();
    }

    public ActorSystem<Void> system() {
        return system;
    }

    /** The curation role of a process node (null elsewhere). */
    public CurationRole curation() {
        return curation;
    }

    /** Completes when the actor system has terminated (left the cluster, or downed). */
    public CompletableFuture<Done> terminated() {
        return system.getWhenTerminated().toCompletableFuture();
    }

    private synchronized void closeComponents() {
        List<AutoCloseable> reversed = new ArrayList<>(components);
        java.util.Collections.reverse(reversed);
        closeQuietly(reversed);
        components.clear();
    }

    private static void closeQuietly(List<AutoCloseable> list) {
        for (AutoCloseable c : list) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }

    /** Leaves the cluster (components first) and stops. */
    @Override
    public void close() throws Exception {
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (curation != null) {
            curation.closeChangelog();
        }
        metrics.close();
        kafka.close();
    }
}
