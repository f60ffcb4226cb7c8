package org.millrace.ops.cluster;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.millrace.common.Settings;

/**
 * The {@code millrace.cluster} block, read and checked once.
 *
 * @param host            address Artery binds to and other nodes reach this one at
 * @param port            Artery port (0: a free one)
 * @param seedNodes       seed nodes as {@code host:port}
 * @param roles           what this node runs
 * @param splitBrain      {@code keep-majority} or {@code lease-majority}
 * @param stableAfter     how long membership must be stable before the split-brain resolver decides
 * @param heartbeatPause  how long a node may be silent before it counts as unreachable
 * @param dedup           the cluster-wide dedup shards
 * @param bootstrap       Kubernetes discovery through pekko-management cluster bootstrap
 */
public record ClusterSettings(String systemName, String host, int port, List<String> seedNodes, Set<NodeRole> roles,
                              String splitBrain, Duration stableAfter, Duration heartbeatPause, Dedup dedup,
                              Bootstrap bootstrap, Duration restartMin, Duration restartMax) {

    /**
     * @param shards            how many shards the band keys are spread over (fixed for the life of the state)
     * @param claimsPerRequest  documents per claim message (bounds a message's size)
     * @param askTimeout        how long one claim waits for its shard before it is sent again
     * @param claimDeadline     how long a claim is retried (a shard moving off a failed node) before the group fails
     * @param dir               base directory of the shards' RocksDB stores
     * @param changelog         whether shards log their registrations to Kafka (and replay them where their directory is missing)
     * @param changelogTopic    the compacted topic of that log, one partition per shard
     * @param changelogWait     whether a shard answers only once its registrations are in the log
     */
    public record Dedup(int shards, int claimsPerRequest, Duration askTimeout, Duration claimDeadline, Path dir,
                        boolean changelog, String changelogTopic, boolean changelogWait) {
    }

    /** Cluster bootstrap: off by default; on Kubernetes it finds the other pods through the API server. */
    public record Bootstrap(boolean enabled, String discoveryMethod, String serviceName, int requiredContactPoints,
                            String managementHost, int managementPort, String podLabelSelector) {
    }

    public static ClusterSettings fromConfig(Config c, Path dataDir) {
        String p = "millrace.cluster.";
        String splitBrain = c.getString(p + "split-brain.strategy");
        if (!List.of("keep-majority", "lease-majority").contains(splitBrain)) {
            throw Settings.invalid(c, p + "split-brain.strategy", splitBrain, "must be keep-majority or lease-majority");
        }
        List<String> seeds = c.getStringList(p + "seed-nodes");
        for (String s : seeds) {
            checkHostPort(s, p + "seed-nodes");
        }
        String dedupDir = c.getString(p + "dedup.dir");
        Dedup dedup = new Dedup(Settings.intInRange(c, p + "dedup.shards", 1, 4096),
                Settings.intInRange(c, p + "dedup.claims-per-request", 1, 10_000),
                Settings.positiveDuration(c, p + "dedup.ask-timeout"), Settings.positiveDuration(c, p + "dedup.claim-deadline"),
                dedupDir.isBlank() ? dataDir.resolve("cluster").resolve("dedup") : Path.of(dedupDir),
                c.getBoolean(p + "dedup.changelog"), c.getString(p + "dedup.changelog-topic"), c.getBoolean(p + "dedup.changelog-wait"));
        Bootstrap bootstrap = new Bootstrap(c.getBoolean(p + "bootstrap.enabled"), c.getString(p + "bootstrap.discovery-method"),
                c.getString(p + "bootstrap.service-name"), Settings.positiveInt(c, p + "bootstrap.required-contact-points"),
                c.getString(p + "bootstrap.management-host"), Settings.intInRange(c, p + "bootstrap.management-port", 0, 65535),
                c.getString(p + "bootstrap.pod-label-selector"));
        if (bootstrap.enabled() && !seeds.isEmpty()) {
            throw Settings.invalid(c, p + "seed-nodes", seeds, "must be empty when millrace.cluster.bootstrap.enabled is on "
                    + "(bootstrap finds the seed nodes itself)");
        }
        Duration min = Settings.positiveDuration(c, p + "restart-backoff.min");
        Duration max = Settings.positiveDuration(c, p + "restart-backoff.max");
        if (max.compareTo(min) < 0) {
            throw Settings.invalid(c, p + "restart-backoff.max", max, "must not be shorter than restart-backoff.min " + min);
        }
        return new ClusterSettings(c.getString(p + "system-name"), c.getString(p + "host"),
                Settings.intInRange(c, p + "port", 0, 65535), List.copyOf(seeds),
                NodeRole.parse(c.getStringList(p + "roles"), p + "roles"), splitBrain,
                Settings.positiveDuration(c, p + "split-brain.stable-after"),
                Settings.positiveDuration(c, p + "failure-detector.acceptable-heartbeat-pause"), dedup, bootstrap, min, max);
    }

    /** The Pekko address of a seed node given as {@code host:port}. */
    public String seedAddress(String hostPort) {
        return "pekko://" + systemName + "@" + hostPort;
    }

    public List<String> seedAddresses() {
        List<String> out = new ArrayList<>();
        seedNodes.forEach(s -> out.add(seedAddress(s)));
        return out;
    }

    static void checkHostPort(String s, String what) {
        int colon = s.lastIndexOf(':');
        boolean ok = colon > 0 && colon < s.length() - 1;
        if (ok) {
            try {
                int port = Integer.parseInt(s.substring(colon + 1));
                ok = port > 0 && port < 65536;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not host:port (e.g. 127.0.0.1:25520)");
        }
    }
}
