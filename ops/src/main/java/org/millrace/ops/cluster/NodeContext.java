package org.millrace.ops.cluster;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.millrace.common.Topics;

/**
 * What a {@link NodeComponent} gets: the node's actor system (a cluster member), its settings, Kafka
 * client properties, topics and roles.
 */
public record NodeContext(ActorSystem<?> system, Config config, ClusterSettings cluster, Path dataDir,
                          Map<String, Object> kafka, Topics topics, Set<NodeRole> roles, String nodeId) {

    /** Starts (or joins) a Cluster Singleton and returns its proxy. */
    public <T> ActorRef<T> singleton(ClusterSingletons.Spec<T> spec) {
        return ClusterSingletons.start(system, spec);
    }

    public boolean has(NodeRole role) {
        return roles.contains(role);
    }
}
