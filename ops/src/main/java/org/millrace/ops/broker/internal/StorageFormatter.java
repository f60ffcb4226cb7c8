package org.millrace.ops.broker.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import kafka.tools.StorageTool$;
import org.apache.kafka.common.Uuid;

/**
 * Formats a KRaft log directory once, with Kafka's own {@code kafka-storage format}, run in-process. The
 * cluster id is chosen at the first format and lives on in the directory's meta.properties.
 */
public final class StorageFormatter {

    private static final String META_PROPERTIES = "meta.properties";

    private StorageFormatter() {
    }

    /** The cluster id recorded in {@code logDir}, or empty when the directory has not been formatted. */
    public static Optional<String> formattedClusterId(Path logDir) {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        }
        String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id: the broker data directory is damaged;"
                    + " move " + logDir + " away to start over with an empty broker");
        }
        return Optional.of(clusterId.trim());
    }

    /** Formats the log directory named in {@code serverProperties} with a fresh cluster id; returns the id. */
    public static String format(Path serverProperties) {
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool$.MODULE$.execute(
                    new String[] {"format", "--cluster-id", clusterId, "--config", serverProperties.toString()}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("formatting Kafka storage with " + serverProperties + " failed: "
                    + e.getMessage() + "\n" + output.toString(StandardCharsets.UTF_8), e);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting Kafka storage with " + serverProperties
                    + " exited with status " + status + ":\n" + output.toString(StandardCharsets.UTF_8));
        }
        return clusterId;
    }
}
