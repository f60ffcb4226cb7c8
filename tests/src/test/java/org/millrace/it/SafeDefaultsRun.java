package org.millrace.it;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.RunMonitoring;
import org.millrace.ops.run.TopicReader;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.CurationStream;
import org.millrace.producers.DocumentPublisher;
import org.millrace.serving.ModelSlot;
import org.millrace.serving.OpenAiServer;
import org.millrace.serving.ServingSettings;

/**
 * The child JVM of {@link SafeDefaultsTest}. Starts an embedded broker whose client listener asks for
 * SASL/PLAIN, and reaches it only through {@code millrace.kafka.client} (the password from the
 * environment variable {@value #PASSWORD_ENV}) with every kind of client Millrace has: admin (topic
 * bootstrap, consumer lag), producers (document publisher, idempotent event producer), consumer (topic
 * reader) and pekko-connectors-kafka (the transactional curation stream). Then serves metrics, the
 * dashboard and the API with the bearer tokens of their environment variables, and asks each with no,
 * a wrong and the right token, and lists its listening sockets. Prints {@code OK <what>} for each step and
 * writes the /metrics page to {@code <dataDir>/metrics.txt}.
 */
public final class SafeDefaultsRun {
    static final String PASSWORD_ENV = "MILLRACE_TEST_SASL_PASSWORD";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private SafeDefaultsRun() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String password = System.getenv(PASSWORD_ENV);
        int[] ports = freePorts();
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"millrace\" password=\""
                + password + "\";";
        Map<String, String> overrides = new HashMap<>();
        overrides.put("listeners", "PLAINTEXT://127.0.0.1:" + ports[0] + ",CONTROLLER://127.0.0.1:" + (ports[0] + 1)
                + ",SASL_PLAINTEXT://127.0.0.1:" + ports[1]);
        overrides.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports[0] + ",SASL_PLAINTEXT://127.0.0.1:" + ports[1]);
        overrides.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        overrides.put("sasl.enabled.mechanisms", "PLAIN");
        overrides.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_millrace=\"" + password + "\";");
        String sasl = "127.0.0.1:" + ports[1];

        Map<String, Object> settings = new HashMap<>();
        settings.put("millrace.data-dir", dataDir.toString());
        settings.put("millrace.kafka.bootstrap-servers", sasl);
        // as a user writes them: millrace.kafka.client { "security.protocol" = SASL_PLAINTEXT ... }
        settings.put("millrace.kafka.client.\"security.protocol\"", "SASL_PLAINTEXT");
        settings.put("millrace.kafka.client.\"sasl.mechanism\"", "PLAIN");
        settings.put("millrace.kafka.client.\"sasl.jaas.config\"", jaas);
        settings.put("millrace.metrics.port", 0);
        settings.put("millrace.metrics.lag-interval", "500ms");
        settings.put("millrace.dashboard.port", 0);
        settings.put("millrace.serving.port", 0);
        settings.put("millrace.tokenizer.kind", "byte");
        settings.put("millrace.curation.pipeline", List.of("size", "normalize"));
        settings.put("millrace.curation.revoke-drain-timeout", "1s");
        Config config = ConfigFactory.parseMap(settings).withFallback(Settings.load(null)).resolve();
        Topics topics = Topics.fromConfig(config);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new BrokerOptions(dataDir, ports[0], overrides));
             KafkaConnection kafka = KafkaConnection.open(config, dataDir)) {
            try (Admin plain = Admin.create(Map.of("bootstrap.servers", sasl, "request.timeout.ms", 3000,
                    "default.api.timeout.ms", 3000))) {
                plain.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                System.out.println("FAIL a client without the SASL settings reached the SASL listener");
            } catch (Exception expected) {
                System.out.println("OK refused without SASL settings: " + expected.getClass().getSimpleName());
            }
            Map<String, Object> props = kafka.clientProperties();
            kafka.ensureTopics(topics);
            System.out.println("OK admin (topic bootstrap)");

            try (DocumentPublisher publisher = new DocumentPublisher(props, topics)) {
                for (int i = 0; i < 5; i++) {
                    publisher.publish(new Document("doc-" + i, "Document number " + i + " says something.", "secrets",
                            DocumentKind.WEB, null, Map.of()));
                }
                publisher.flush();
            }
            System.out.println("OK producer (document publisher)");
            try (KafkaProducer<String, byte[]> events = KafkaClients.idempotentProducer(props, "secrets-events")) {
                events.send(new ProducerRecord<>(topics.trainEvents(), "run", "{}".getBytes())).get(30, TimeUnit.SECONDS);
            }
            System.out.println("OK producer (idempotent event producer)");
            int read = TopicReader.readAll(props, topics.docsWeb(), Duration.ofSeconds(30)).size();
            System.out.println((read == 5 ? "OK" : "FAIL") + " consumer (topic reader): " + read);

            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "secrets", config);
            try {
                CurationStream stream = CurationStream.start(system, CurationSettings.fromConfig(config, topics), topics,
                        new ByteTokenizer(), props, "secrets");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int out = 0;
                while (out < 5 && System.nanoTime() < deadline) {
                    out = TopicReader.readAll(props, topics.curated(), Duration.ofSeconds(30)).size()
                            + TopicReader.readAll(props, topics.rejected(), Duration.ofSeconds(30)).size();
                    Thread.sleep(200); // polling the output topics
                }
                System.out.println((out == 5 ? "OK" : "FAIL") + " pekko-connectors-kafka (curation stream): " + out);
                stream.drainAndShutdown(system.executionContext()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }

            try (RunMonitoring monitoring = RunMonitoring.start(config, props, topics, "secrets",
                    new ProgressLine(new PrintStream(System.out, true)));
                 ModelSlot slot = new ModelSlot();
                 OpenAiServer serving = OpenAiServer.start(ServingSettings.fromConfig(config), slot, config)) {
                String metricsUrl = "http://127.0.0.1:" + monitoring.metricsPort() + "/metrics";
                String metrics = "";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!metrics.contains("millrace_kafka_consumer_lag_records{") && System.nanoTime() < deadline) {
                    metrics = get(metricsUrl, null).body();
                    Thread.sleep(200); // polling for the lag collector's first measurement
                }
                System.out.println((metrics.contains("millrace_kafka_consumer_lag_records{") ? "OK" : "FAIL")
                        + " admin (consumer lag collector)");
                Files.writeString(dataDir.resolve("metrics.txt"), metrics);

                String dashboard = monitoring.dashboard().orElseThrow().toString();
                String api = serving.baseUrl() + "/v1/models";
                listeningSockets(Map.of("metrics", monitoring.metricsPort(), "dashboard",
                        monitoring.dashboard().orElseThrow().getPort(), "serving", serving.address().getPort()));
                statuses("dashboard", dashboard, System.getenv("MILLRACE_DASHBOARD_TOKEN"));
                statuses("serving", api, System.getenv("MILLRACE_SERVING_TOKEN"));
            }
        }
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }

    /**
     * Prints the ports of {@code servers} ({@code PORT name port}), every listening socket of this process
     * ({@code LISTEN address:port}) and those that answer on the machine's other address ({@code REACHABLE}).
     */
    private static void listeningSockets(Map<String, Integer> servers) {
        servers.forEach((name, port) -> System.out.println("PORT " + name + " " + port));
        java.util.Optional<java.net.InetAddress> other = ListeningSockets.nonLoopbackAddress();
        System.out.println("OTHER ADDRESS " + other.map(java.net.InetAddress::getHostAddress).orElse("none"));
        for (ListeningSockets.Listener l : ListeningSockets.ofThisProcess()) {
            System.out.println("LISTEN " + l + " " + (l.loopback() ? "loopback" : "not-loopback"));
            if (other.isPresent()) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(other.get(), l.port()), 3000);
                    System.out.println("REACHABLE " + other.get().getHostAddress() + ":" + l.port());
                } catch (IOException refused) {
                    // what loopback-only means
                }
            }
        }
    }

    /** Prints the answers to no token, a wrong token of the same length and the right token. */
    private static void statuses(String name, String url, String token) throws IOException, InterruptedException {
        String wrong = token.substring(0, token.length() - 1) + (token.endsWith("x") ? "y" : "x");
        System.out.println("AUTH " + name + " " + get(url, null).statusCode() + " " + get(url, wrong).statusCode() + " "
                + get(url, token).statusCode());
    }

    private static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A free port whose successor is free too (the broker's controller), and another free port. */
    private static int[] freePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket a = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int p = a.getLocalPort();
                if (p >= 65534) {
                    continue;
                }
                try (ServerSocket b = new ServerSocket(p + 1, 1, java.net.InetAddress.getLoopbackAddress());
                     ServerSocket c = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return new int[] {p, c.getLocalPort()};
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free pair of ports");
    }
}
