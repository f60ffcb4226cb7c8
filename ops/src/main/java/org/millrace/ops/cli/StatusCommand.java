package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.millrace.common.KafkaClients;
import org.millrace.common.Topics;
import org.millrace.ops.broker.BrokerHandle;
import org.millrace.ops.broker.BrokerLocator;
import org.millrace.ops.status.StatusProbe;
import org.millrace.ops.status.StatusScreen;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millrace status}: topics and lag, trainer progress, latest evaluations, members — one screen. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show topics with consumer lag, trainer step/loss/tokens per second (from the train events),",
                "the latest evaluation per task (from the eval results) and the cluster members, on one screen.",
                "Uses --bootstrap-servers, else the embedded broker of --data-dir if one is running (never starts one)."})
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS",
            description = "Refresh every SECONDS (default 2 when given without a value) until Ctrl-C.")
    Integer watch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (watch != null && watch < 1) {
            throw new IllegalArgumentException("--watch must be at least 1 second (got " + watch + ")");
        }
        Config config = options.settings();
        PrintWriter out = spec.commandLine().getOut();
        String servers = config.getString("millrace.kafka.bootstrap-servers");
        if (servers.isBlank()) {
            Optional<BrokerHandle> running = BrokerLocator.find(CommonOptions.dataDir(config), BrokerLocator.probeTimeout(config));
            if (running.isEmpty()) {
                spec.commandLine().getErr().println("millrace status: no Kafka broker runs on " + CommonOptions.dataDir(config)
                        + "; start 'millrace run' (or 'millrace broker'), or pass --bootstrap-servers");
                return 1;
            }
            servers = running.get().bootstrapServers();
        }
        Map<String, Object> kafka = KafkaClients.properties(config, servers, Map.of());
        StatusProbe probe = new StatusProbe(kafka, servers, Topics.fromConfig(config), Duration.ofSeconds(15));
        boolean terminal = System.console() != null;
        do {
            String screen = StatusScreen.render(probe.probe());
            if (watch != null && terminal) {
                out.print("\033[H\033[2J"); // home and clear: the screen is redrawn in place
            }
            out.print(screen);
            out.flush();
            if (watch != null) {
                Thread.sleep(watch * 1000L);
                if (!terminal) {
                    out.println();
                }
            }
        } while (watch != null);
        return 0;
    }
}
