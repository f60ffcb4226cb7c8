package org.millrace.ops.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.millrace.ops.broker.internal.BrokerLockFile;
import org.millrace.ops.broker.internal.BrokerProbe;
import org.millrace.ops.broker.internal.EmbeddedBrokerConfig;
import org.millrace.ops.broker.internal.FreePorts;
import org.millrace.ops.broker.internal.StartGuard;
import org.millrace.ops.broker.internal.StorageFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft combined mode (broker and controller in one server), running inside this JVM
 * on 127.0.0.1 with its data under {@code <dataDir>/kafka}. The first start formats the storage; later starts
 * reuse it, so topics, messages, committed offsets and the cluster id survive a restart. While it runs,
 * {@code <dataDir>/kafka/broker.lock} tells other processes where it is (see {@link BrokerLocator}).
 */
public final class EmbeddedKafkaBroker implements BrokerHandle {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    /** Attempts with fresh free ports when another process took a picked port before the broker bound it. */
    private static final int BIND_ATTEMPTS = 3;

    private final BrokerOptions options;
    private final KafkaRaftServer server;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final StartTimings timings;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Duration shutdownDuration;

    private EmbeddedKafkaBroker(BrokerOptions options, KafkaRaftServer server, int port, int controllerPort,
                                String clusterId, StartTimings timings) {
        this.options = options;
        this.server = server;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.timings = timings;
        this.shutdownHook = new Thread(() -> {
            awaitStopBarriers();
            close();
        }, "millrace-broker-shutdown");
    }

    private static final java.util.Set<java.util.concurrent.CompletableFuture<?>> STOP_BARRIERS =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Makes the stop on JVM exit (Ctrl-C) wait, up to two minutes, until {@code done} completes, so that
     * work still using Kafka (a last checkpoint event, a draining stream) can finish first.
     */
    public static void delayStopOnExitUntil(java.util.concurrent.CompletableFuture<?> done) {
        STOP_BARRIERS.add(done);
        done.whenComplete((v, e) -> STOP_BARRIERS.remove(done));
    }

    private static void awaitStopBarriers() {
        try {
            java.util.concurrent.CompletableFuture.allOf(STOP_BARRIERS.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                    .get(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // stop anyway
        }
    }

    /**
     * Starts a broker on {@code options.dataDir()}, formatting it first if it is new. Fails if a live broker
     * already serves that directory (use {@link BrokerLocator#connectOrStart} to share it instead).
     */
    public static EmbeddedKafkaBroker start(BrokerOptions options) {
        StartGuard guard = BrokerLocator.acquireGuard(options);
        try {
            Optional<BrokerLockFile> live = BrokerLocator.liveBrokerOrClean(options.kafkaDir(),
                    BrokerLocator.DEFAULT_PROBE_TIMEOUT);
            if (live.isPresent()) {
                BrokerLockFile running = live.get();
                throw new IllegalStateException("broker data directory " + options.kafkaDir()
                        + " is in use by the broker at " + running.bootstrapServers() + " (pid " + running.pid()
                        + ", up since " + running.startedAt() + "); use BrokerLocator.connectOrStart to share it");
            }
            return startGuarded(options);
        } finally {
            guard.close();
        }
    }

    /** Starts the broker; the caller holds the {@link StartGuard} and has cleared any stale lock file. */
    static EmbeddedKafkaBroker startGuarded(BrokerOptions options) {
        Path kafkaDir = options.kafkaDir();
        Path logDir = kafkaDir.resolve("data");
        Path serverProperties = kafkaDir.resolve("server.properties");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create broker data directory " + logDir, e);
        }
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        Optional<String> existingClusterId = StorageFormatter.formattedClusterId(logDir);
        Duration formatDuration = Duration.ZERO;
        String clusterId = existingClusterId.orElse(null);

        for (int attempt = 1; ; attempt++) {
            int[] ports = options.port() == 0 ? FreePorts.pair() : new int[] {options.port(), options.port() + 1};
            Properties properties = EmbeddedBrokerConfig.properties(logDir, ports[0], ports[1],
                    options.startTimeout(), options.overrides());
            EmbeddedBrokerConfig.write(properties, serverProperties);
            if (clusterId == null) {
                long formatStart = System.nanoTime();
                clusterId = StorageFormatter.format(serverProperties);
                formatDuration = Duration.ofNanos(System.nanoTime() - formatStart);
            }
            long startNanos = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                stopQuietly(server);
                if (options.port() == 0 && attempt < BIND_ATTEMPTS && causedByBind(e)) {
                    log.info("Port {} or {} was taken before the broker bound it; trying other free ports",
                            ports[0], ports[1]);
                    continue;
                }
                throw new IllegalStateException("the Kafka broker on " + kafkaDir + " (ports " + ports[0] + "/"
                        + ports[1] + ") failed to start: " + e.getMessage(), e);
            }
            String bootstrap = "127.0.0.1:" + ports[0];
            Duration remaining = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)).plusSeconds(1);
            Optional<String> answered = BrokerProbe.clusterId(bootstrap, remaining);
            if (answered.isEmpty() || !answered.get().equals(clusterId)) {
                stopQuietly(server);
                throw new IllegalStateException("the Kafka broker on " + kafkaDir + " started but "
                        + (answered.isEmpty() ? "did not answer at " + bootstrap + " within millrace.broker.start-timeout = "
                        + options.startTimeout() : "reported cluster id " + answered.get() + " instead of " + clusterId));
            }
            StartTimings timings = new StartTimings(existingClusterId.isEmpty(), formatDuration,
                    Duration.ofNanos(System.nanoTime() - startNanos));
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(options, server, ports[0], ports[1], clusterId, timings);
            broker.announce();
            return broker;
        }
    }

    private void announce() {
        new BrokerLockFile(ProcessHandle.current().pid(), port, controllerPort, bootstrapServers(), clusterId,
                Instant.now()).writeTo(lockFile());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        log.info("Kafka broker up at {} (cluster {}, data {}; {} in {} ms, started in {} ms)", bootstrapServers(),
                clusterId, options.kafkaDir(), timings.formatted() ? "formatted" : "reused storage",
                timings.format().toMillis(), timings.start().toMillis());
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public boolean startedHere() {
        return true;
    }

    /** The PLAINTEXT port clients use. */
    public int port() {
        return port;
    }

    /** The CONTROLLER port of the KRaft quorum. */
    public int controllerPort() {
        return controllerPort;
    }

    /** {@code <dataDir>/kafka}. */
    public Path kafkaDir() {
        return options.kafkaDir();
    }

    /** {@code <dataDir>/kafka/broker.lock}. */
    public Path lockFile() {
        return options.kafkaDir().resolve(BrokerLockFile.FILE_NAME);
    }

    /** How long formatting and start-up took. */
    public StartTimings startTimings() {
        return timings;
    }

    /** How long the last {@link #close()} took to stop the broker; empty while it runs. */
    public Optional<Duration> shutdownDuration() {
        return Optional.ofNullable(shutdownDuration);
    }

    /**
     * Stops the broker cleanly (controlled shutdown, logs flushed) and removes the lock file. Holds the start
     * guard meanwhile, so another process waiting to start a broker on this directory starts after this one
     * has released it. Idempotent; also runs from a JVM shutdown hook.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook is running or about to, and finds the broker closed
            }
        }
        long stopStart = System.nanoTime();
        StartGuard guard = null;
        try {
            guard = StartGuard.acquire(options.kafkaDir(), options.startTimeout());
        } catch (TimeoutException | RuntimeException e) {
            log.warn("Stopping the broker without the start guard of {}: {}", options.kafkaDir(), e.getMessage());
        }
        try {
            BrokerLockFile.delete(lockFile());
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (guard != null) {
                guard.close();
            }
        }
        shutdownDuration = Duration.ofNanos(System.nanoTime() - stopStart);
        log.info("Kafka broker at {} stopped in {} ms", bootstrapServers(), shutdownDuration.toMillis());
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Stopping a broker that failed to start also failed: {}", e.toString());
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", cluster " + clusterId + ", " + options.kafkaDir() + "]";
    }
}
