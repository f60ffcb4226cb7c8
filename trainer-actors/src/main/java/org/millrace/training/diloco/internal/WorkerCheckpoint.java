package org.millrace.training.diloco.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.millrace.common.Json;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.curriculum.CurriculumState;
import org.millrace.training.curriculum.RngState;
import org.millrace.training.feed.FeedStart;
import org.millrace.training.optim.AdamW;

/**
 * A DiLoCo worker's own checkpoint: where it is in its share of the batch partitions, its inner AdamW moments and
 * its curriculum. The parameters are the coordinator's; a restarted worker gets them when it joins. Two files in
 * the worker's directory, each written to a temporary file and renamed; the state file is renamed last, so it never
 * names an optimizer file older than itself.
 */
public final class WorkerCheckpoint {
    private static final String STATE = "worker.json";
    private static final String OPTIMIZER = "inner-optimizer.bin";

    /** What the state file holds; offsets keyed as the trainer's checkpoints key them. */
    public record State(String worker, long round, long steps, long tokens, Map<String, Long> offsets, Map<String, Integer> epochs,
                        CurriculumState curriculum, RngState rng) {
        public static State of(String worker, long round, long steps, long tokens, Map<TopicPartition, Long> offsets,
                               Map<String, Integer> epochs, CurriculumState curriculum, RngState rng) {
            return new State(worker, round, steps, tokens, keys(offsets), epochs, curriculum, rng);
        }

        public FeedStart feedStart() {
            Map<TopicPartition, Long> byPartition = new HashMap<>();
            offsets.forEach((k, v) -> byPartition.put(CheckpointManifest.partition(k), v));
            return new FeedStart(byPartition, epochs);
        }

        private static Map<String, Long> keys(Map<TopicPartition, Long> offsets) {
            Map<String, Long> out = new HashMap<>();
            offsets.forEach((tp, o) -> out.put(CheckpointManifest.key(tp), o));
            return out;
        }
    }

    private final Path dir;

    public WorkerCheckpoint(Path dir) {
        this.dir = dir;
    }

    public void write(State state, AdamW optimizer) {
        try {
            Files.createDirectories(dir);
            Path optimizerTmp = Files.createTempFile(dir, OPTIMIZER, ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(optimizerTmp)))) {
                optimizer.writeState(out);
            }
            Files.move(optimizerTmp, dir.resolve(OPTIMIZER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path stateTmp = Files.createTempFile(dir, STATE, ".tmp");
            Json.MAPPER.writeValue(stateTmp.toFile(), state);
            Files.move(stateTmp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the DiLoCo worker checkpoint in " + dir, e);
        }
    }

    /** The state, with the optimizer's moments loaded into {@code optimizer}; null if there is no checkpoint yet. */
    public State read(AdamW optimizer) {
        Path state = dir.resolve(STATE);
        if (!Files.exists(state)) {
            return null;
        }
        try {
            State s = Json.MAPPER.readValue(state.toFile(), State.class);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER))))) {
                optimizer.readState(in);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DiLoCo worker checkpoint in " + dir, e);
        }
    }
}
