package org.millrace.ops.run;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import org.millrace.common.Topics;
import org.millrace.ops.ServingTokenizers;
import org.millrace.serving.ServingService;
import org.millrace.serving.ServingSettings;
import org.millrace.training.model.ComputeSettings;

/**
 * The serving role of {@code millrace run}: the API over the run's newest checkpoint, swapped on its
 * checkpoint events. Serving is a side role: if it cannot start (its port is taken), the run goes on
 * without it and says so.
 */
final class RunServing implements AutoCloseable {
    private final ServingService service;

    private RunServing(ServingService service) {
        this.service = service;
    }

    /** Starts serving unless {@code millrace.serving.in-run} is off, and prints where (or why not). */
    static RunServing start(Config config, Path dataDir, Map<String, Object> kafka, Topics topics, String run,
                            ProgressLine progress) {
        if (!config.getBoolean("millrace.serving.in-run")) {
            return new RunServing(null);
        }
        try {
            ServingSettings settings = ServingSettings.fromConfig(config);
            ServingService service = ServingService.start(config, settings,
                    new ServingService.Source(null, dataDir.resolve("checkpoints"), run, kafka, topics.trainEvents()),
                    ServingTokenizers.loader(config, dataDir), ComputeSettings.fromConfig(config).resolveDevice());
            progress.println("serving at " + service.baseUrl() + "/v1 (OpenAI API; "
                    + service.model().map(m -> "model " + m.id()).orElse("ready after the first checkpoint") + ")");
            return new RunServing(service);
        } catch (RuntimeException e) {
            progress.println("not serving: " + e.getMessage());
            return new RunServing(null);
        }
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
