package org.millrace.ops.broker;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.millrace.ops.broker.internal.BrokerLockFile;
import org.millrace.ops.broker.internal.BrokerProbe;
import org.millrace.ops.broker.internal.StartGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the broker that runs on a data directory, in this process or another, through its
 * {@code <dataDir>/kafka/broker.lock}; starts one in this process when there is none.
 */
public final class BrokerLocator {

    /** How long a broker named by a lock file has to answer before the lock counts as stale. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(BrokerLocator.class);

    private BrokerLocator() {
    }

    /** {@code millrace.broker.probe-timeout} of a resolved config. */
    public static Duration probeTimeout(Config config) {
        Duration timeout = config.getDuration("millrace.broker.probe-timeout");
        requirePositive(timeout);
        return timeout;
    }

    /** {@link #connectOrStart(BrokerOptions, Duration)} with the default probe timeout. */
    public static BrokerHandle connectOrStart(BrokerOptions options) {
        return connectOrStart(options, DEFAULT_PROBE_TIMEOUT);
    }

    /**
     * Returns a handle on the live broker of {@code options.dataDir()} if there is one (its process is alive and
     * it answers within {@code probeTimeout} with the cluster id of the lock file); closing that handle does
     * nothing. Otherwise removes a stale lock file and starts a broker in this process. Two processes calling
     * this at once on one directory end up with one broker: the check and the start run under a file lock.
     */
    public static BrokerHandle connectOrStart(BrokerOptions options, Duration probeTimeout) {
        Objects.requireNonNull(options, "broker options must be given");
        requirePositive(probeTimeout);
        StartGuard guard = acquireGuard(options);
        try {
            Optional<BrokerLockFile> live = liveBrokerOrClean(options.kafkaDir(), probeTimeout);
            if (live.isPresent()) {
                BrokerLockFile running = live.get();
                log.info("Using the Kafka broker at {} (pid {}, up since {})", running.bootstrapServers(),
                        running.pid(), running.startedAt());
                return new AttachedBroker(running.bootstrapServers(), running.clusterId(), running.pid());
            }
            return EmbeddedKafkaBroker.startGuarded(options);
        } finally {
            guard.close();
        }
    }

    /** The start guard of the options' data directory, waited for up to millrace.broker.start-timeout. */
    static StartGuard acquireGuard(BrokerOptions options) {
        try {
            return StartGuard.acquire(options.kafkaDir(), options.startTimeout());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot start or find a broker on " + options.kafkaDir() + " within"
                    + " millrace.broker.start-timeout = " + options.startTimeout() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The live broker of {@code dataDir}, without starting one. A stale lock file is left alone here (removing
     * it safely needs the start guard, which {@link #connectOrStart} holds).
     */
    public static Optional<BrokerHandle> find(Path dataDir, Duration probeTimeout) {
        requirePositive(probeTimeout);
        Path lockFile = dataDir.resolve("kafka").resolve(BrokerLockFile.FILE_NAME);
        Optional<BrokerLockFile> lock;
        try {
            lock = BrokerLockFile.readFrom(lockFile);
        } catch (IllegalStateException malformed) {
            return Optional.empty();
        }
        return lock.filter(l -> staleReason(l, probeTimeout).isEmpty())
                .map(l -> new AttachedBroker(l.bootstrapServers(), l.clusterId(), l.pid()));
    }

    /**
     * The lock file of the live broker of {@code kafkaDir}, or empty after removing a lock file whose broker is
     * gone. The caller holds the start guard.
     */
    static Optional<BrokerLockFile> liveBrokerOrClean(Path kafkaDir, Duration probeTimeout) {
        Path lockFile = kafkaDir.resolve(BrokerLockFile.FILE_NAME);
        Optional<BrokerLockFile> lock;
        try {
            lock = BrokerLockFile.readFrom(lockFile);
        } catch (IllegalStateException malformed) {
            log.warn("Removing unreadable broker lock file: {}", malformed.getMessage());
            BrokerLockFile.delete(lockFile);
            return Optional.empty();
        }
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> stale = staleReason(lock.get(), probeTimeout);
        if (stale.isEmpty()) {
            return lock;
        }
        log.info("Removing stale broker lock file {}: {}", lockFile, stale.get());
        BrokerLockFile.delete(lockFile);
        return Optional.empty();
    }

    /** Why the broker a lock file names cannot be used, or empty when it is alive and answering. */
    private static Optional<String> staleReason(BrokerLockFile lock, Duration probeTimeout) {
        if (!lock.processAlive()) {
            return Optional.of("process " + lock.pid() + " is not running");
        }
        Optional<String> answered = BrokerProbe.clusterId(lock.bootstrapServers(), probeTimeout);
        if (answered.isEmpty()) {
            return Optional.of("no broker answered at " + lock.bootstrapServers() + " within " + probeTimeout);
        }
        if (!answered.get().equals(lock.clusterId())) {
            return Optional.of("the broker at " + lock.bootstrapServers() + " belongs to cluster " + answered.get()
                    + ", not to " + lock.clusterId() + " of this data directory");
        }
        return Optional.empty();
    }

    private static void requirePositive(Duration probeTimeout) {
        Objects.requireNonNull(probeTimeout, "broker probe timeout must be given");
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("millrace.broker.probe-timeout must be positive, was " + probeTimeout);
        }
    }
}
