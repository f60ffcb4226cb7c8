package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code millrace broker}: runs the embedded Kafka broker of a data directory until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run the embedded Kafka broker (KRaft) of --data-dir in this process until stopped.")
public final class BrokerCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() throws Exception {
        Config config = options.settings();
        try (KafkaConnection kafka = KafkaConnection.open(config, CommonOptions.dataDir(config))) {
            if (!kafka.runsBroker()) {
                System.err.println("millrace broker: a broker already runs on " + CommonOptions.dataDir(config)
                        + " at " + kafka.bootstrapServers());
                return 1;
            }
            kafka.ensureTopics(Topics.fromConfig(config));
            System.out.println("Kafka broker up at " + kafka.bootstrapServers() + " (data in "
                    + CommonOptions.dataDir(config).resolve("kafka") + "); Ctrl-C stops it.");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.close();
                stopped.countDown();
            }, "millrace-broker-shutdown"));
            stopped.await();
        }
        return 0;
    }
}
