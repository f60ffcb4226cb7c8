package org.millrace.ops.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.millrace.common.Settings;
import org.millrace.ops.Main;

/** The cluster settings and the node command's flags: defaults that work, errors that name the setting or flag. */
class ClusterSettingsTest {
    private static Config with(Map<String, Object> values) {
        return ConfigFactory.parseMap(values).withFallback(Settings.load(null)).resolve();
    }

    @Test
    void theDefaultsMakeAKeepMajorityNodeOfEveryRoleOnLoopbackWithBootstrapOff() {
        ClusterSettings s = ClusterSettings.fromConfig(Settings.load(null), Path.of("/data"));
        assertEquals(Set.of(NodeRole.values()), s.roles());
        assertEquals("127.0.0.1", s.host());
        assertEquals("keep-majority", s.splitBrain());
        assertEquals(Path.of("/data/cluster/dedup"), s.dedup().dir());
        assertTrue(!s.bootstrap().enabled());
        Config pekko = ClusterConfig.forNode(s, Settings.load(null));
        assertEquals("cluster", pekko.getString("pekko.actor.provider"));
        assertEquals("keep-majority", pekko.getString("pekko.cluster.split-brain-resolver.active-strategy"));
        assertEquals("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider", pekko.getString("pekko.cluster.downing-provider-class"));
        assertEquals(List.of("ingest", "process", "train", "eval", "serve", "ops"), pekko.getStringList("pekko.cluster.roles"));
    }

    @Test
    void seedNodesBecomePekkoAddresses() {
        ClusterSettings s = ClusterSettings.fromConfig(with(Map.of("millrace.cluster.seed-nodes", List.of("10.0.0.1:25520"))), Path.of("/d"));
        assertEquals(List.of("pekko://millrace@10.0.0.1:25520"), ClusterConfig.forNode(s, Settings.load(null)).getStringList("pekko.cluster.seed-nodes"));
    }

    @Test
    void badSettingsAreErrorsThatNameThem() {
        var strategy = assertThrows(RuntimeException.class, () -> ClusterSettings.fromConfig(
                with(Map.of("millrace.cluster.split-brain.strategy", "keep-oldest")), Path.of("/d")));
        assertTrue(strategy.getMessage().contains("millrace.cluster.split-brain.strategy"), strategy.getMessage());
        var seed = assertThrows(RuntimeException.class, () -> ClusterSettings.fromConfig(
                with(Map.of("millrace.cluster.seed-nodes", List.of("localhost"))), Path.of("/d")));
        assertTrue(seed.getMessage().contains("millrace.cluster.seed-nodes") && seed.getMessage().contains("host:port"), seed.getMessage());
        var both = assertThrows(RuntimeException.class, () -> ClusterSettings.fromConfig(with(Map.of(
                "millrace.cluster.bootstrap.enabled", true, "millrace.cluster.seed-nodes", List.of("a:1"))), Path.of("/d")));
        assertTrue(both.getMessage().contains("bootstrap"), both.getMessage());
        var role = assertThrows(RuntimeException.class, () -> ClusterSettings.fromConfig(
                with(Map.of("millrace.cluster.roles", List.of("process", "cook"))), Path.of("/d")));
        assertTrue(role.getMessage().contains("millrace.cluster.roles") && role.getMessage().contains("cook"), role.getMessage());
    }

    @Test
    void theNodeCommandNamesABadRoleOrPortInOneLine() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "node", "--roles", "process,chef", "--seed-nodes", "127.0.0.1:1");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--roles") && err.toString().contains("chef"), err.toString());
        StringWriter err2 = new StringWriter();
        int code2 = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true), "node", "--port", "70000");
        assertEquals(2, code2);
        assertTrue(err2.toString().contains("--port"), err2.toString());
    }
}
