package org.millrace.ops.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.millrace.ops.broker.KafkaTestClients.admin;
import static org.millrace.ops.broker.KafkaTestClients.consumer;
import static org.millrace.ops.broker.KafkaTestClients.pollAtLeast;
import static org.millrace.ops.broker.KafkaTestClients.producer;
import static org.millrace.ops.broker.KafkaTestClients.values;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients against one embedded broker shared by the tests of this class; each test has its own topics. */
class EmbeddedKafkaBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final SharedBrokerExtension kafka = new SharedBrokerExtension();

    @Test
    void producesAndConsumesThroughAConsumerGroup() throws Exception {
        String topic = "broker-test.plain";
        String bootstrap = kafka.broker().bootstrapServers();
        try (Admin admin = admin(bootstrap)) {
            TopicBootstrap.ensure(admin, List.of(TopicSpec.of(topic, 3)));
        }
        List<String> sent = IntStream.range(0, 100).mapToObj(i -> "doc-" + i).toList();
        try (Producer<String, String> producer = producer(bootstrap, Map.of())) {
            for (String value : sent) {
                producer.send(new ProducerRecord<>(topic, value, value)).get();
            }
        }
        try (Consumer<String, String> consumer = consumer(bootstrap,
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "broker-test.plain-group"))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = pollAtLeast(consumer, sent.size(), WAIT);
            consumer.commitSync();

            assertEquals(Set.copyOf(sent), Set.copyOf(values(received)));
            assertEquals(sent.size(), received.size(), "each record exactly once");
            assertEquals(3, received.stream().map(ConsumerRecord::partition).distinct().count(),
                    "keys spread over all three partitions");
        }
    }

    @Test
    void committedTransactionsAreVisibleToReadCommittedAndAbortedOnesAreNot() throws Exception {
        String topic = "broker-test.transactions";
        String bootstrap = kafka.broker().bootstrapServers();
        try (Admin admin = admin(bootstrap)) {
            TopicBootstrap.ensure(admin, List.of(TopicSpec.of(topic, 1)));
        }
        try (Producer<String, String> producer = producer(bootstrap,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "broker-test.tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-3"));
            producer.commitTransaction();
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Consumer<String, String> committed = consumer(bootstrap,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             Consumer<String, String> uncommitted = consumer(bootstrap,
                     Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            committed.assign(List.of(partition));
            uncommitted.assign(List.of(partition));
            // committed-3 comes after the aborted record: once it is read, the aborted one would have been too.
            List<String> seenCommitted = values(pollAtLeast(committed, 3, WAIT));
            List<String> seenUncommitted = values(pollAtLeast(uncommitted, 4, WAIT));

            assertEquals(List.of("committed-1", "committed-2", "committed-3"), seenCommitted);
            assertEquals(List.of("committed-1", "committed-2", "aborted", "committed-3"), seenUncommitted,
                    "the aborted record was written, so read_committed really filtered it");
        }
    }

    @Test
    void topicBootstrapKeepsExistingTopicsAppliesConfigsAndRejectsAPartitionMismatch() throws Exception {
        String topic = "broker-test.bootstrap";
        TopicSpec compacted = new TopicSpec(topic, 2,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = admin(kafka.broker().bootstrapServers())) {
            TopicBootstrap.ensure(admin, List.of(compacted));
            TopicBootstrap.ensure(admin, List.of(compacted, TopicSpec.of("broker-test.bootstrap-other", 1)));

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            assertTrue(admin.listTopics().names().get().containsAll(Set.of(topic, "broker-test.bootstrap-other")));

            IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                    () -> TopicBootstrap.ensure(admin, List.of(TopicSpec.of(topic, 5))));
            assertTrue(mismatch.getMessage().contains("exists with 2 partitions"), mismatch.getMessage());
        }
    }

    @Test
    void consumerGroupOffsetsAreStored() throws Exception {
        String topic = "broker-test.offsets";
        String group = "broker-test.offsets-group";
        String bootstrap = kafka.broker().bootstrapServers();
        try (Admin admin = admin(bootstrap)) {
            TopicBootstrap.ensure(admin, List.of(TopicSpec.of(topic, 1)));
            TopicPartition partition = new TopicPartition(topic, 0);
            try (Consumer<String, String> consumer = consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
                consumer.assign(List.of(partition));
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(7)));
            }
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertEquals(7, offsets.get(partition).offset());
        }
    }

    @Test
    void theLockFileNamesTheRunningBrokerAndTheLocatorAttachesToIt() throws Exception {
        EmbeddedKafkaBroker broker = kafka.broker();
        assertTrue(broker.lockFile().toFile().isFile(), "lock file written while the broker runs");
        Map<String, String> lock = readProperties(broker.lockFile());
        assertEquals(Long.toString(ProcessHandle.current().pid()), lock.get("pid"));
        assertEquals(broker.bootstrapServers(), lock.get("bootstrap.servers"));
        assertEquals(Integer.toString(broker.port()), lock.get("port"));
        assertEquals(broker.clusterId(), lock.get("cluster.id"));

        BrokerHandle found = BrokerLocator.connectOrStart(BrokerOptions.onFreePort(kafka.dataDir()));
        assertFalse(found.startedHere(), "a second call must not start a second broker");
        assertEquals(broker.bootstrapServers(), found.bootstrapServers());
        assertEquals(broker.clusterId(), found.clusterId());
        found.close();

        try (Admin admin = admin(broker.bootstrapServers())) {
            assertEquals(broker.clusterId(), admin.describeCluster().clusterId().get(),
                    "closing the attached handle leaves the broker running");
        }
        assertTrue(BrokerLocator.find(kafka.dataDir(), Duration.ofSeconds(5)).isPresent());
    }

    @Test
    void startingASecondBrokerOnTheSameDataDirectoryIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(kafka.dataDir())));
        assertTrue(refused.getMessage().contains(kafka.broker().bootstrapServers()), refused.getMessage());
    }

    @Test
    void aLocatorInAnotherProcessFindsTheRunningBroker() throws Exception {
        List<String> output = LocatorProbeMain.runInChildJvm(kafka.dataDir(), WAIT);
        assertTrue(output.contains("startedHere=false"), String.join("\n", output));
        assertTrue(output.contains("bootstrap=" + kafka.broker().bootstrapServers()), String.join("\n", output));
        assertTrue(output.contains("pid=" + ProcessHandle.current().pid()), String.join("\n", output));
    }

    private static Map<String, String> readProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, properties::getProperty));
    }
}
