package org.millrace.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files the child JVMs of the fault-injection tests find in their data directories. */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * A bench result file with a matmul figure (millrace.trainer.bench-results), so that a trainer does not
     * measure the matmul peak for its MFU figure at every start; the value only scales the MFU shown.
     */
    static void benchResults(Path dataDir) throws IOException {
        Path file = dataDir.resolve("bench").resolve("latest.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {"machine": {"time": "fixture"}, "figures": [{"name": "djl.matmul.gflops", "value": 50.0, "unit": "GFLOP/s"}]}
                """);
    }
}
