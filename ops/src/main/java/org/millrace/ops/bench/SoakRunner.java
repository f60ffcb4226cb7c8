package org.millrace.ops.bench;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The soak of {@code millrace bench --soak MINUTES}, found through {@link java.util.ServiceLoader} (the
 * {@code benchmarks} module provides it): a long run at full speed that samples memory and throughput.
 */
public interface SoakRunner {

    /**
     * What a soak is asked to do.
     *
     * @param settings    resolved settings
     * @param workDir     a scratch directory of its own (the broker's data and checkpoints go there)
     * @param duration    how long to run
     * @param sampleEvery how often to sample
     * @param json        where to write the samples and the growth figures; the plot goes next to it (.png)
     * @param progress    prints a line
     */
    record Request(Config settings, Path workDir, Duration duration, Duration sampleEvery, Path json,
                   Consumer<String> progress) {
    }

    void run(Request request) throws Exception;
}
