package org.millrace.ops.broker.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The properties of a single-node KRaft broker in combined mode (broker + controller in one server) on
 * 127.0.0.1, sized for one machine: every internal topic has replication factor 1.
 */
public final class EmbeddedBrokerConfig {

    /** Node id of the one broker/controller. */
    public static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";

    private EmbeddedBrokerConfig() {
    }

    /**
     * @param logDir         where partitions and the metadata log live
     * @param port           PLAINTEXT port
     * @param controllerPort CONTROLLER port
     * @param startTimeout   bound on the broker's own start-up wait (server.max.startup.time.ms)
     * @param overrides      applied last
     */
    public static Properties properties(Path logDir, int port, int controllerPort, Duration startTimeout,
                                        Map<String, String> overrides) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        p.setProperty("metadata.log.dir", logDir.toAbsolutePath().toString());

        // One node: internal topics cannot have more than one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("default.replication.factor", "1");
        // The defaults (50 partitions each) make the first consumer group and the first transaction create
        // 50 logs on one machine; a handful of coordinator partitions is plenty for a single node.
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.num.partitions", "4");
        // No waiting for more members before the first rebalance: a single-process run has them all at once.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose (TopicBootstrap); a misspelled name must fail, not make a topic.
        p.setProperty("auto.create.topics.enable", "false");
        // Documents up to 64 MiB travel as single records (curation rejects larger ones with a reason).
        p.setProperty("message.max.bytes", Integer.toString(64 * 1024 * 1024 + 1024));
        p.setProperty("replica.fetch.max.bytes", Integer.toString(64 * 1024 * 1024 + 1024));
        p.setProperty("server.max.startup.time.ms", Long.toString(startTimeout.toMillis()));

        overrides.forEach(p::setProperty);
        return p;
    }

    /** Writes the properties as a server.properties file (StorageTool reads it; handy to run Kafka by hand). */
    public static void write(Properties properties, Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "Millrace embedded Kafka broker (rewritten at every start)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker properties " + file, e);
        }
    }
}
