package org.millrace.ops.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.millrace.ops.cluster.ClusterNode;
import org.millrace.ops.cluster.NodeRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace node}: one member of a Pekko Cluster, running the components of its roles until stopped. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run one node of a Millrace cluster (Pekko Cluster over Artery) until stopped (SIGTERM leaves the",
                "cluster cleanly). Roles decide what runs here: ingest, process (curation, one consumer group across",
                "nodes, and the dedup shards), train, eval, serve, ops (dashboard, consumer lag). See docs/cluster.md."})
public final class NodeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--roles", split = ",", paramLabel = "ROLE[,ROLE...]",
            description = "Roles of this node (default: millrace.cluster.roles, every role).")
    List<String> roles;

    @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT[,...]",
            description = "Seed nodes to join; a node that is its own first seed starts a new cluster (default: millrace.cluster.seed-nodes).")
    List<String> seedNodes;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind and be reached at (default: millrace.cluster.host, 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Artery port (default: millrace.cluster.port, 25520; 0 = a free one).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        Config config = options.settings();
        if (roles != null) {
            NodeRole.parse(roles, "--roles");
            config = with(config, "millrace.cluster.roles", roles);
        }
        if (seedNodes != null) {
            config = with(config, "millrace.cluster.seed-nodes", seedNodes);
        }
        if (host != null) {
            if (host.isBlank()) {
                throw new IllegalArgumentException("--host must not be blank");
            }
            config = with(config, "millrace.cluster.host", host);
        }
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be within [0, 65535], got " + port);
            }
            config = with(config, "millrace.cluster.port", port);
        }
        ClusterNode node = ClusterNode.start(config, CommonOptions.dataDir(config), true);
        node.terminated().get();
        return 0;
    }

    private static Config with(Config c, String key, Object value) {
        return ConfigFactory.parseMap(Map.of(key, ConfigValueFactory.fromAnyRef(value).unwrapped())).withFallback(c);
    }
}
