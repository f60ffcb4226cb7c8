package org.millrace.ops.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One embedded broker for all tests of a class, on a data directory of its own that is deleted afterwards. */
final class SharedBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("millrace-broker-test");
        broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir));
        StartTimings timings = broker.startTimings();
        System.out.printf("broker timings (%s): format %d ms, start %d ms%n", context.getDisplayName(),
                timings.format().toMillis(), timings.start().toMillis());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.close();
            System.out.printf("broker timings (%s): shutdown %d ms%n", context.getDisplayName(),
                    broker.shutdownDuration().orElseThrow().toMillis());
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    EmbeddedKafkaBroker broker() {
        return broker;
    }

    Path dataDir() {
        return dataDir;
    }
}
