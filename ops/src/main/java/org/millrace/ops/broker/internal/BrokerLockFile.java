package org.millrace.ops.broker.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * The contents of {@code <dataDir>/kafka/broker.lock}: written once a broker is up, removed when it stops, so
 * that another process can find the running broker instead of starting a second one on the same data.
 *
 * @param pid              the process that runs the broker
 * @param port             its PLAINTEXT port
 * @param controllerPort   its CONTROLLER port
 * @param bootstrapServers what clients connect to
 * @param clusterId        the cluster id formatted into the data directory
 * @param startedAt        when the broker came up
 */
public record BrokerLockFile(long pid, int port, int controllerPort, String bootstrapServers, String clusterId,
                             Instant startedAt) {

    public static final String FILE_NAME = "broker.lock";

    /** Writes the file atomically (temp file + rename), so a reader never sees half of it. */
    public void writeTo(Path file) {
        Properties properties = new Properties();
        properties.setProperty("pid", Long.toString(pid));
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("controller.port", Integer.toString(controllerPort));
        properties.setProperty("bootstrap.servers", bootstrapServers);
        properties.setProperty("cluster.id", clusterId);
        properties.setProperty("started.at", startedAt.toString());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(out, "Millrace embedded Kafka broker; removed when the broker stops");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker lock file " + file, e);
        }
    }

    /**
     * Reads a lock file; empty when there is none. A file that cannot be parsed is reported as an
     * {@link IllegalStateException} naming the file and the bad entry, so the caller can treat it as stale.
     */
    public static Optional<BrokerLockFile> readFrom(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read broker lock file " + file, e);
        }
        try {
            return Optional.of(new BrokerLockFile(
                    Long.parseLong(required(properties, "pid", file)),
                    Integer.parseInt(required(properties, "port", file)),
                    Integer.parseInt(required(properties, "controller.port", file)),
                    required(properties, "bootstrap.servers", file),
                    required(properties, "cluster.id", file),
                    Instant.parse(required(properties, "started.at", file))));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalStateException("broker lock file " + file + " holds a malformed entry: " + e.getMessage(), e);
        }
    }

    /** Removes the lock file if it is there. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove broker lock file " + file, e);
        }
    }

    /** Whether the process named by {@link #pid} is still alive. */
    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("broker lock file " + file + " has no '" + key + "' entry");
        }
        return value.trim();
    }
}
