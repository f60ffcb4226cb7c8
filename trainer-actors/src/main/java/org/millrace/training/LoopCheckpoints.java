package org.millrace.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.millrace.training.checkpoint.CheckpointCompatibility;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.feed.FeedPosition;
import org.millrace.training.feed.FeedStart;
import org.millrace.training.model.GptTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing a training loop's checkpoint, and resuming a loop from the newest one. */
final class LoopCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(LoopCheckpoints.class);
    private static final String PARAMETERS = "model.params";
    private static final String OPTIMIZER = "optimizer.bin";

    private LoopCheckpoints() {
    }

    /** Where a resumed loop stands. */
    record Resumed(Path checkpoint, long step, long tokens, double loss, FeedPosition position) {
    }

    static Path parametersFile(Path checkpoint) {
        return checkpoint.resolve(PARAMETERS);
    }

    static Path write(CheckpointStore store, GptTrainer trainer, CheckpointManifest manifest) {
        // Through the store's counted streams: a failed write names the file and the bytes written.
        return store.writeFiles(manifest, files -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(files.create(PARAMETERS)))) {
                trainer.model().saveParameters(out); // the format of GptParameters.save
            }
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(files.create(OPTIMIZER)))) {
                trainer.optimizer().writeState(out);
            }
        });
    }

    static Map<String, Long> offsetKeys(FeedPosition position) {
        Map<String, Long> out = new HashMap<>();
        position.offsets().forEach((tp, o) -> out.put(CheckpointManifest.key(tp), o));
        return out;
    }

    /**
     * Loads the newest checkpoint into the trainer and the curriculum, or returns null when the run has none.
     *
     * @throws CheckpointCompatibility.CheckpointMismatchException if it was made under another model or tokenizer
     */
    static Resumed resume(CheckpointStore store, GptTrainer trainer, String tokenizer, Map<String, Object> model,
                          CurriculumScheduler curriculum) {
        store.removeIncomplete();
        Optional<Path> latest = store.latest();
        if (latest.isEmpty()) {
            return null;
        }
        Path dir = latest.get();
        CheckpointManifest m = CheckpointStore.readManifest(dir);
        CheckpointCompatibility.check(dir, m, model, tokenizer);
        try {
            trainer.loadParameters(dir.resolve(PARAMETERS));
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER))))) {
                trainer.optimizer().readState(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load checkpoint " + dir + ": " + e.getMessage(), e);
        }
        trainer.resumeAt(m.step());
        if (m.curriculum() != null) {
            curriculum.restore(m.curriculum(), m.rng());
        } else {
            curriculum.restore(curriculum.state(), m.rng()); // migrated from version 1: fresh curriculum, recorded RNG
        }
        Map<TopicPartition, Long> offsets = m.partitionOffsets();
        LOG.info("resumed run {} from {} (step {}, {} tokens, curriculum phase {})", m.run(), dir, m.step(), m.tokens(),
                curriculum.phase().name());
        return new Resumed(dir, m.step(), m.tokens(), m.loss(), new FeedPosition(new FeedStart(offsets, m.bucketEpochs())));
    }
}
