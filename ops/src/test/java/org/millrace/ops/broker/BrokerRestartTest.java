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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop a broker and start it again on the same data directory: nothing written before is lost. */
class BrokerRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void messagesOffsetsAndClusterIdSurviveARestart(@TempDir Path dataDir) throws Exception {
        String topic = "restart-test.docs";
        String group = "restart-test.group";
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> sent = IntStream.range(0, 20).mapToObj(i -> "before-restart-" + i).toList();

        EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir));
        String clusterId = first.clusterId();
        try {
            assertTrue(first.startTimings().formatted(), "a new data directory is formatted");
            try (Admin admin = admin(first.bootstrapServers())) {
                TopicBootstrap.ensure(admin, List.of(TopicSpec.of(topic, 1)));
            }
            try (Producer<String, String> producer = producer(first.bootstrapServers(), Map.of())) {
                for (String value : sent) {
                    producer.send(new ProducerRecord<>(topic, value)).get();
                }
            }
            try (Consumer<String, String> consumer = consumer(first.bootstrapServers(),
                    Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
                consumer.assign(List.of(partition));
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
            }
        } finally {
            first.close();
        }
        assertFalse(Files.exists(first.lockFile()), "the lock file is removed on shutdown");

        int configuredPort = freeConsecutivePorts();
        EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(new BrokerOptions(dataDir, configuredPort, Map.of()));
        try {
            assertFalse(second.startTimings().formatted(), "the existing data directory is reused");
            assertEquals("127.0.0.1:" + configuredPort, second.bootstrapServers());
            assertEquals(configuredPort + 1, second.controllerPort());
            assertEquals(clusterId, second.clusterId());
            try (Admin admin = admin(second.bootstrapServers())) {
                TopicBootstrap.ensure(admin, List.of(TopicSpec.of(topic, 1)));
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                assertEquals(10, offsets.get(partition).offset(), "committed offset kept");
            }
            try (Consumer<String, String> consumer = consumer(second.bootstrapServers(), Map.of())) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                assertEquals(sent, values(pollAtLeast(consumer, sent.size(), WAIT)));
            }
        } finally {
            second.close();
        }
        System.out.printf("broker timings (restart): first format %d ms, start %d ms, shutdown %d ms;"
                        + " second start %d ms, shutdown %d ms%n",
                first.startTimings().format().toMillis(), first.startTimings().start().toMillis(),
                first.shutdownDuration().orElseThrow().toMillis(), second.startTimings().start().toMillis(),
                second.shutdownDuration().orElseThrow().toMillis());
    }

    @Test
    void aStartThatCannotBindItsPortFailsNamingItAndLeavesTheDirectoryUsable(@TempDir Path dataDir)
            throws Exception {
        int port = freeConsecutivePorts();
        try (ServerSocket occupied = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, occupied.getLocalPort());
            IllegalStateException failed = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(new BrokerOptions(dataDir, port, Map.of())));
            assertTrue(failed.getMessage().contains(Integer.toString(port)), failed.getMessage());
        }
        assertFalse(Files.exists(dataDir.resolve("kafka").resolve("broker.lock")));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir));
             Admin admin = admin(broker.bootstrapServers())) {
            assertEquals(broker.clusterId(), admin.describeCluster().clusterId().get(),
                    "the failed start released the data directory");
        }
    }

    /** A port P such that P and P + 1 are both free right now (the broker puts its controller on P + 1). */
    private static int freeConsecutivePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = first.getLocalPort();
                if (port < 65534 && isFree(port + 1)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("found no two consecutive free ports on 127.0.0.1 in 50 attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException taken) {
            return false;
        }
    }
}
