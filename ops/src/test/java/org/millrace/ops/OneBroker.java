package org.millrace.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;

/**
 * One embedded broker shared by the test classes that ask for it ({@code @ExtendWith(OneBroker.class)}
 * and an {@link EmbeddedKafkaBroker} parameter) in this JVM: started by the first, stopped and deleted
 * when the whole test run ends. Starting a broker costs seconds; these classes use topics of their own.
 */
public final class OneBroker implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Started.class, k -> Started.start(), Started.class).broker;
    }

    /** The broker and its directory, closed by JUnit at the end of the run. */
    static final class Started implements ExtensionContext.Store.CloseableResource {
        private final Path dir;
        private final EmbeddedKafkaBroker broker;

        private Started(Path dir, EmbeddedKafkaBroker broker) {
            this.dir = dir;
            this.broker = broker;
        }

        static Started start() {
            try {
                Path dir = Files.createTempDirectory("millrace-one-broker");
                return new Started(dir, EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dir)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            broker.close();
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
