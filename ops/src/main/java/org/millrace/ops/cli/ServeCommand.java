package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.millrace.common.KafkaClients;
import org.millrace.common.Topics;
import org.millrace.ops.ServingTokenizers;
import org.millrace.ops.broker.BrokerHandle;
import org.millrace.ops.broker.BrokerLocator;
import org.millrace.serving.ServingService;
import org.millrace.serving.ServingSettings;
import org.millrace.training.model.ComputeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace serve}: the OpenAI-compatible API over the newest checkpoint, alone. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a checkpoint over an OpenAI-compatible HTTP API (POST /v1/completions, /v1/chat/completions,",
                "GET /v1/models, /healthz, /readyz) on 127.0.0.1. Without --checkpoint it serves the newest checkpoint under",
                "--data-dir and swaps in newer ones as they are written. Set MILLRACE_SERVING_TOKEN to require a bearer token."})
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--checkpoint", paramLabel = "PATH",
            description = "Serve this checkpoint directory (…/checkpoints/<run>/step-N) as it is, without reloading.")
    Path checkpoint;

    @Option(names = "--port", paramLabel = "N", description = "Port of the API (default: millrace.serving.port, 8000; 0 picks a free one).")
    Integer port;

    @Option(names = "--run", paramLabel = "RUN", description = "Follow this run's checkpoints (default: whichever run wrote last).")
    String run;

    @Override
    public Integer call() throws Exception {
        Config config = options.settings();
        ServingSettings settings = ServingSettings.fromConfig(config);
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be within [0, 65535] (got " + port + ")");
            }
            settings = settings.withPort(port);
        }
        Path dataDir = CommonOptions.dataDir(config);
        ComputeSettings compute = ComputeSettings.fromConfig(config);
        Optional<String> servers = checkpoint != null ? Optional.empty() : eventSource(config, dataDir);
        Map<String, Object> kafka = servers.map(s -> KafkaClients.properties(config, s, Map.of())).orElse(null);
        ServingService.Source source = new ServingService.Source(checkpoint == null ? null : checkpoint.toAbsolutePath(),
                dataDir.resolve("checkpoints"), run, kafka, Topics.fromConfig(config).trainEvents());
        ai.djl.Device device = compute.resolveDevice(); // loads the engine, which applyThreads needs
        compute.applyThreads();
        ServingService service = ServingService.start(config, settings, source, ServingTokenizers.loader(config, dataDir), device);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "millrace-serve-shutdown"));
        System.out.println("serving " + service.model().map(m -> m.id() + " (" + m.checkpoint() + ")")
                .orElse("nothing yet: no checkpoint under " + source.checkpointsDir()) + " at " + service.baseUrl() + "/v1");
        System.out.println(checkpoint != null ? "a named checkpoint is not reloaded"
                : service.followsEvents() ? "newer checkpoints are swapped in on train events from Kafka at " + servers.get()
                : "newer checkpoints are swapped in when found (every " + settings.pollInterval().toSeconds() + " s)");
        System.out.println("Ctrl-C stops it.");
        stopped.await();
        return 0;
    }

    /** The Kafka cluster to follow: --bootstrap-servers, else a broker already running on the data directory. */
    private static Optional<String> eventSource(Config config, Path dataDir) {
        String servers = config.getString("millrace.kafka.bootstrap-servers");
        if (!servers.isBlank()) {
            return Optional.of(servers);
        }
        return BrokerLocator.find(dataDir, BrokerLocator.probeTimeout(config)).map(BrokerHandle::bootstrapServers);
    }
}
