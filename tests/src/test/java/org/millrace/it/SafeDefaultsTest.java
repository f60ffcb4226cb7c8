package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.RunMonitoring;
import org.millrace.serving.ModelSlot;
import org.millrace.serving.OpenAiServer;
import org.millrace.serving.ServingSettings;

/**
 * Every listening socket Millrace opens binds to 127.0.0.1 when nothing else is configured: the embedded
 * broker (its client and controller listeners), /metrics, the dashboard and the OpenAI-compatible API,
 * each started as a run starts it, from the defaults of reference.conf (only the ports set to 0, so that
 * the test does not collide with a run on this machine). Checked from the kernel's view of this process's
 * listening sockets, and by connecting to each port on the machine's other address.
 */
class SafeDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void everyListeningSocketBindsToLoopbackByDefault() throws Exception {
        Config config = ConfigFactory.parseMap(Map.of("millrace.data-dir", dir.toString(), "millrace.broker.port", 0,
                "millrace.metrics.port", 0, "millrace.dashboard.port", 0, "millrace.serving.port", 0))
                .withFallback(Settings.load(null)).resolve();
        List<ListeningSockets.Listener> before = ListeningSockets.ofThisProcess();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.fromConfig(config, dir));
             RunMonitoring monitoring = RunMonitoring.start(config, Map.of("bootstrap.servers", broker.bootstrapServers()),
                     Topics.fromConfig(config), "safe-defaults", new ProgressLine(new PrintStream(new ByteArrayOutputStream())));
             ModelSlot slot = new ModelSlot();
             OpenAiServer serving = OpenAiServer.start(ServingSettings.fromConfig(config), slot, config)) {
            int dashboardPort = monitoring.dashboard().map(URI::getPort).orElseThrow();
            Map<String, Integer> ports = Map.of("broker", broker.port(), "metrics", monitoring.metricsPort(),
                    "dashboard", dashboardPort, "serving", serving.address().getPort());

            List<ListeningSockets.Listener> listening = ListeningSockets.ofThisProcess();
            listening.removeAll(before);
            Set<Integer> listeningPorts = listening.stream().map(ListeningSockets.Listener::port).collect(Collectors.toSet());
            System.out.println("listening sockets opened: " + listening + " for " + ports);
            ports.forEach((name, port) -> assertTrue(listeningPorts.contains(port),
                    name + " port " + port + " among the listening sockets " + listening));
            assertTrue(listening.size() >= ports.size() + 1, "the broker's controller listens too: " + listening);
            for (ListeningSockets.Listener l : listening) {
                assertTrue(l.loopback(), l + " binds to a loopback address; all: " + listening);
            }

            Optional<InetAddress> other = ListeningSockets.nonLoopbackAddress();
            for (ListeningSockets.Listener l : listening) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port()), 5000);
                }
                if (other.isPresent()) {
                    assertThrows(ConnectException.class, () -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(other.get(), l.port()), 5000);
                        }
                    }, l + " is not reachable on " + other.get());
                }
            }
        }
    }
}
