package org.millrace.training.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.millrace.common.Json;
import org.millrace.training.curriculum.RngState;
import org.millrace.training.curriculum.SplitMix64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads checkpoint manifests of every format version this build knows, migrating old ones. */
final class ManifestReader {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestReader.class);

    private ManifestReader() {
    }

    /** The manifest of version 1, as it was written. */
    record V1(int version, String run, long step, long tokens, int epoch, Map<String, Long> offsets, String tokenizer,
              Map<String, Object> model, long rngSeed, double loss, long time) {
    }

    static CheckpointManifest read(Path file) {
        try {
            JsonNode tree = Json.MAPPER.readTree(file.toFile());
            int version = tree.path("version").asInt(-1);
            return switch (version) {
                case CheckpointManifest.VERSION -> Json.MAPPER.treeToValue(tree, CheckpointManifest.class);
                case 1 -> migrate(Json.MAPPER.treeToValue(tree, V1.class), file);
                default -> throw new IllegalStateException("checkpoint manifest " + file + " has format version " + version
                        + "; this build reads versions 1 (migrated) and " + CheckpointManifest.VERSION
                        + ": it was written by a newer Millrace, or is not a manifest");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Version 1 had no curriculum (batches were taken in the order Kafka returned them), one epoch for every
     * topic and an RNG seed. Its offsets carry over unchanged, so exactly-once holds across the migration;
     * the curriculum starts at its first phase and the bucket draws from the recorded seed.
     */
    private static CheckpointManifest migrate(V1 v1, Path file) {
        LOG.warn("checkpoint {} has manifest version 1: migrating to version {} (offsets kept; the curriculum starts at its "
                + "first phase, per-bucket epochs at {}, bucket draws from seed {})", file.getParent(), CheckpointManifest.VERSION,
                v1.epoch(), v1.rngSeed());
        return new CheckpointManifest(CheckpointManifest.VERSION, v1.run(), v1.step(), v1.tokens(), v1.offsets(), Map.of(),
                v1.tokenizer(), v1.model(), v1.rngSeed(), null, new RngState(SplitMix64.ALGORITHM, v1.rngSeed()), v1.loss(),
                v1.time());
    }
}
