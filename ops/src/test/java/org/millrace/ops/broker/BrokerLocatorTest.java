package org.millrace.ops.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.ops.broker.internal.BrokerLockFile;

/** Lock files that name no live broker are cleaned up; racing callers end up with one broker. */
class BrokerLocatorTest {

    @Test
    void aStaleLockIsCleanedAndExactlyOneOfTwoRacingCallersStartsABroker(@TempDir Path dataDir) throws Exception {
        Path lockFile = dataDir.resolve("kafka").resolve(BrokerLockFile.FILE_NAME);
        Files.createDirectories(lockFile.getParent());
        new BrokerLockFile(deadPid(), 1, 2, "127.0.0.1:1", "bogus-cluster-id", Instant.EPOCH).writeTo(lockFile);

        ExecutorService callers = Executors.newFixedThreadPool(2);
        Callable<BrokerHandle> connect = () -> BrokerLocator.connectOrStart(BrokerOptions.onFreePort(dataDir));
        BrokerHandle a;
        BrokerHandle b;
        try {
            List<Future<BrokerHandle>> handles = callers.invokeAll(List.of(connect, connect), 90, TimeUnit.SECONDS);
            a = handles.get(0).get();
            b = handles.get(1).get();
        } finally {
            callers.shutdownNow();
        }
        BrokerHandle owner = a.startedHere() ? a : b;
        BrokerHandle other = a.startedHere() ? b : a;
        try {
            assertTrue(owner.startedHere());
            assertFalse(other.startedHere(), "only one caller starts a broker");
            assertEquals(owner.bootstrapServers(), other.bootstrapServers());

            BrokerLockFile lock = BrokerLockFile.readFrom(lockFile).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), lock.pid(), "the stale lock was replaced");
            assertEquals(owner.bootstrapServers(), lock.bootstrapServers());
            assertEquals(owner.clusterId(), lock.clusterId());
            try (Admin admin = KafkaTestClients.admin(owner.bootstrapServers())) {
                assertEquals(owner.clusterId(), admin.describeCluster().clusterId().get());
            }
        } finally {
            other.close();
            owner.close();
        }
        assertFalse(Files.exists(lockFile), "closing the owning handle removes the lock file");
        assertTrue(BrokerLocator.find(dataDir, Duration.ofSeconds(1)).isEmpty());
    }

    @Test
    void aLockNamingALiveProcessWhereNoBrokerAnswersIsNotABroker(@TempDir Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve("kafka").resolve(BrokerLockFile.FILE_NAME);
        Files.createDirectories(lockFile.getParent());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        new BrokerLockFile(ProcessHandle.current().pid(), closedPort, closedPort + 1, "127.0.0.1:" + closedPort,
                "some-cluster", Instant.now()).writeTo(lockFile);

        assertTrue(BrokerLocator.find(dataDir, Duration.ofMillis(500)).isEmpty());
    }

    @Test
    void anUnreadableLockIsNotABroker(@TempDir Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve("kafka").resolve(BrokerLockFile.FILE_NAME);
        Files.createDirectories(lockFile.getParent());
        Files.writeString(lockFile, "pid=not-a-number\n");

        assertTrue(BrokerLocator.find(dataDir, Duration.ofMillis(500)).isEmpty());
    }

    /** The pid of a process that has already exited. */
    private static long deadPid() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("true").start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "'true' exits at once");
        assertFalse(process.isAlive());
        return process.pid();
    }
}
