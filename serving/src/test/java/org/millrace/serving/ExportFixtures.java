package org.millrace.serving;

import java.nio.file.Path;
import org.millrace.training.model.GptConfig;

/** Checkpoints for the export tests (in another package). */
public final class ExportFixtures {
    private ExportFixtures() {
    }

    public static Path checkpoint(Path checkpointsDir, GptConfig config, long seed) {
        return TestCheckpoints.write(checkpointsDir, "export", 3, config, seed);
    }
}
