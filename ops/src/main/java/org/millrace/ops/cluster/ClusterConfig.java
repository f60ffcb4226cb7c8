package org.millrace.ops.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * The Pekko settings of a cluster node, made from {@link ClusterSettings} and laid over the loaded
 * configuration. Only a node's actor system is a cluster system: {@code millrace run} and the other
 * commands keep the local provider, which is why these keys are set here and not in application.conf.
 */
public final class ClusterConfig {
    /** Dispatcher of the dedup shard actors, which block on RocksDB. */
    public static final String DEDUP_DISPATCHER = "millrace-dedup-dispatcher";

    private ClusterConfig() {
    }

    public static Config forNode(ClusterSettings s, Config base) {
        Map<String, Object> m = new HashMap<>();
        m.put("pekko.actor.provider", "cluster");
        m.put("pekko.remote.artery.canonical.hostname", s.host());
        m.put("pekko.remote.artery.canonical.port", s.port());
        // Claims carry MinHash signatures (112 longs a document): room for claims-per-request of them.
        m.put("pekko.remote.artery.advanced.maximum-frame-size", "2MiB");
        m.put("pekko.cluster.seed-nodes", s.seedAddresses());
        m.put("pekko.cluster.roles", s.roles().stream().map(NodeRole::wireName).toList());
        m.put("pekko.cluster.failure-detector.acceptable-heartbeat-pause", s.heartbeatPause().toMillis() + "ms");
        // Split-brain resolver. keep-majority (the default here) needs nothing outside the cluster: after a
        // partition the side with more than half of the nodes goes on and the rest down themselves, so two
        // halves never both own the dedup shards or the singletons. lease-majority adds a lease
        // (pekko-coordination, e.g. a Kubernetes lease) that the majority side must also hold, which also
        // settles an even split; choose it where such a lease implementation is deployed.
        m.put("pekko.cluster.downing-provider-class", "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        m.put("pekko.cluster.split-brain-resolver.active-strategy", s.splitBrain());
        m.put("pekko.cluster.split-brain-resolver.stable-after", s.stableAfter().toMillis() + "ms");
        // A downed node leaves and its JVM exits, so that systemd or Kubernetes start it again as a new member.
        m.put("pekko.cluster.run-coordinated-shutdown-when-down", "on");
        m.put("pekko.coordinated-shutdown.exit-jvm", "on");
        m.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "on");
        // Every dedup shard has its own entity; sharding places one per Pekko shard.
        m.put("pekko.cluster.sharding.number-of-shards", s.dedup().shards());
        m.put(DEDUP_DISPATCHER + ".type", "Dispatcher");
        m.put(DEDUP_DISPATCHER + ".executor", "thread-pool-executor");
        m.put(DEDUP_DISPATCHER + ".thread-pool-executor.fixed-pool-size", 4);
        m.put(DEDUP_DISPATCHER + ".throughput", 1);
        ClusterSettings.Bootstrap b = s.bootstrap();
        m.put("pekko.management.http.hostname", b.managementHost());
        m.put("pekko.management.http.port", b.managementPort());
        m.put("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method", b.discoveryMethod());
        m.put("pekko.management.cluster.bootstrap.contact-point-discovery.service-name", b.serviceName());
        m.put("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr", b.requiredContactPoints());
        m.put("pekko.discovery.kubernetes-api.pod-label-selector", b.podLabelSelector());
        m.put("pekko.management.health-checks.readiness-checks.millrace-member-up", MemberUpCheck.class.getName());
        return ConfigFactory.parseMap(m).withFallback(base).resolve();
    }
}
