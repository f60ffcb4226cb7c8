package org.millrace.training.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Whether a checkpoint can be resumed by a trainer of a given model and tokenizer, and if not, what differs. */
public final class CheckpointCompatibility {
    private CheckpointCompatibility() {
    }

    /**
     * @throws CheckpointMismatchException naming every model setting and the tokenizer that differ
     */
    public static void check(Path checkpoint, CheckpointManifest manifest, Map<String, Object> model, String tokenizer) {
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(manifest.model().keySet());
        keys.addAll(model.keySet());
        for (String k : keys) {
            String saved = String.valueOf(manifest.model().get(k));
            String here = String.valueOf(model.get(k));
            if (!Objects.equals(saved, here)) {
                differences.add("model " + k + " is " + saved + " in the checkpoint, " + here + " here");
            }
        }
        if (!manifest.tokenizer().equals(tokenizer)) {
            differences.add("tokenizer is " + manifest.tokenizer() + " in the checkpoint, " + tokenizer + " here");
        }
        if (!differences.isEmpty()) {
            throw new CheckpointMismatchException("checkpoint " + checkpoint + " of run " + manifest.run()
                    + " cannot be resumed by this trainer: " + String.join("; ", differences)
                    + ". Configure the checkpoint's model (millrace.model) and tokenizer, or start a new run (millrace.run-id).");
        }
    }

    /** A checkpoint made under another model or tokenizer. Not retriable: a restart meets the same checkpoint. */
    public static final class CheckpointMismatchException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CheckpointMismatchException(String message) {
            super(message);
        }
    }
}
