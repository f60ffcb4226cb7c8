package org.millrace.ops.run;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.millrace.common.Json;

/**
 * Remembers, per data directory, which document sets have been published (by a fingerprint of their
 * ids), so that a second {@code run} on the same data does not feed the same documents again.
 */
public final class IngestLedger {
    private final Path file;
    private final Map<String, Long> published;

    private IngestLedger(Path file, Map<String, Long> published) {
        this.file = file;
        this.published = published;
    }

    public static IngestLedger open(Path dataDir) {
        Path file = dataDir.resolve("ingest-ledger.json");
        if (!Files.exists(file)) {
            return new IngestLedger(file, new TreeMap<>());
        }
        try {
            return new IngestLedger(file, new TreeMap<>(Json.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Long>>() { })));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (delete it to publish the documents again): " + e.getMessage(), e);
        }
    }

    public synchronized boolean contains(String fingerprint) {
        return published.containsKey(fingerprint);
    }

    /** Documents recorded for a fingerprint (a set published, or the progress of one being published). */
    public synchronized java.util.OptionalLong published(String fingerprint) {
        Long n = published.get(fingerprint);
        return n == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(n);
    }

    /** Records a published set; written atomically. */
    public synchronized void record(String fingerprint, long documents) {
        published.put(fingerprint, documents);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, Json.write(published));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
