package org.millrace.ops;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.broker.BrokerHandle;
import org.millrace.ops.broker.BrokerLocator;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.TopicBootstrap;
import org.millrace.ops.broker.TopicSpec;

/**
 * The Kafka cluster a command works against: {@code millrace.kafka.bootstrap-servers} when set, else the
 * embedded broker of the data directory (joined if another process runs it, started here otherwise).
 */
public final class KafkaConnection implements AutoCloseable {
    private final BrokerHandle broker;
    private final String bootstrapServers;
    private final Config config;

    private KafkaConnection(BrokerHandle broker, String bootstrapServers, Config config) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    public static KafkaConnection open(Config config, Path dataDir) {
        String servers = config.getString("millrace.kafka.bootstrap-servers");
        if (!servers.isBlank()) {
            return new KafkaConnection(null, servers, config);
        }
        BrokerHandle broker = BrokerLocator.connectOrStart(BrokerOptions.fromConfig(config, dataDir),
                BrokerLocator.probeTimeout(config));
        return new KafkaConnection(broker, broker.bootstrapServers(), config);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether this process runs the embedded broker (and stops it on close). */
    public boolean runsBroker() {
        return broker != null && broker.startedHere();
    }

    /** Client properties: bootstrap servers plus the pass-through settings. */
    public Map<String, Object> clientProperties() {
        return KafkaClients.properties(config, bootstrapServers, Map.of());
    }

    /** Creates the topics of DESIGN.md that are missing, with the configured partitions. */
    public void ensureTopics(Topics topics) {
        int docPartitions = Settings.positiveInt(config, "millrace.topics.doc-partitions");
        int batchPartitions = Settings.positiveInt(config, "millrace.topics.batch-partitions");
        Map<String, String> large = Map.of("max.message.bytes", Integer.toString(64 * 1024 * 1024));
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(new TopicSpec(topics.docsWeb(), docPartitions, large));
        specs.add(new TopicSpec(topics.docsSynthetic(), docPartitions, large));
        specs.add(new TopicSpec(topics.curated(), docPartitions, large));
        specs.add(new TopicSpec(topics.rejected(), docPartitions, Map.of()));
        topics.batchTopics().forEach(t -> specs.add(new TopicSpec(t, batchPartitions, Map.of())));
        specs.add(TopicSpec.of(topics.trainEvents(), 1));
        specs.add(TopicSpec.of(topics.evalResults(), 1));
        specs.add(TopicSpec.of(topics.curriculum(), 1));
        try (Admin admin = Admin.create(clientProperties())) {
            TopicBootstrap.ensure(admin, specs);
        }
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
