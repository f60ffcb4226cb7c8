package org.millrace.ops.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import org.millrace.common.Settings;
import picocli.CommandLine.Option;

/** Options every subcommand that touches data or Kafka takes. */
public final class CommonOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where Millrace keeps its data (broker, corpus, checkpoints). Default: ./millrace-data")
    Path dataDir;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Use this Kafka cluster instead of the embedded broker of --data-dir.")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (HOCON) overriding the defaults.")
    Path configFile;

    /** Settings with the command-line options applied on top. */
    public Config settings() {
        Config c = Settings.load(configFile);
        if (dataDir != null) {
            c = ConfigFactory.empty().withValue("millrace.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
                    .withFallback(c);
        }
        if (bootstrapServers != null) {
            if (bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("--bootstrap-servers must not be empty");
            }
            c = ConfigFactory.empty().withValue("millrace.kafka.bootstrap-servers", ConfigValueFactory.fromAnyRef(bootstrapServers))
                    .withFallback(c);
        }
        return c;
    }

    public static Path dataDir(Config c) {
        return Path.of(c.getString("millrace.data-dir")).toAbsolutePath().normalize();
    }
}
