package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe defaults. Metrics, dashboard and API, started from the defaults of reference.conf (only their
 * ports set to 0) as a run starts them, listen on 127.0.0.1 only: checked from the kernel's list of the
 * process's listening sockets, and by connecting on the machine's other address ({@link BadInputTest}
 * checks the default embedded broker the same way). Kafka security settings reach every client, and no
 * secret reaches a log or /metrics. A child JVM
 * ({@link SafeDefaultsRun}) talks to a broker that only accepts SASL/PLAIN on its client port, with the
 * password in {@code millrace.kafka.client."sasl.jaas.config"}, through every kind of Kafka client
 * Millrace has; serving and the dashboard take bearer tokens from the environment variables their
 * settings name. The child logs at INFO (Kafka's client configurations included) and Millrace at DEBUG,
 * to a file and to its console; neither, nor its /metrics page, holds the password or either token.
 */
class SafeDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void loopbackOnlyTokensFromTheEnvironmentSaslEverywhereAndNoSecretInLogsOrMetrics() throws Exception {
        String password = "sasl-" + UUID.randomUUID();
        String servingToken = "serve-" + UUID.randomUUID();
        String dashboardToken = "dash-" + UUID.randomUUID();
        Path log = dir.resolve("child.log");
        Path logConfig = dir.resolve("log4j2.xml");
        Files.writeString(logConfig, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="WARN">
                  <Appenders>
                    <Console name="console" target="SYSTEM_OUT"><PatternLayout pattern="%d %-5level %c - %msg%n%throwable"/></Console>
                    <File name="file" fileName="LOG"><PatternLayout pattern="%d %-5level %c - %msg%n%throwable"/></File>
                  </Appenders>
                  <Loggers>
                    <Logger name="org.millrace" level="DEBUG"/>
                    <Root level="INFO"><AppenderRef ref="console"/><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """.replace("LOG", log.toString()));
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path stdout = dir.resolve("child.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED",
                "-Dlog4j2.configurationFile=" + logConfig,
                "-cp", System.getProperty("java.class.path"), SafeDefaultsRun.class.getName(), data.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(stdout.toFile());
        builder.environment().putAll(Map.of(SafeDefaultsRun.PASSWORD_ENV, password, "MILLRACE_SERVING_TOKEN", servingToken,
                "MILLRACE_DASHBOARD_TOKEN", dashboardToken));
        Process child = builder.start();
        try {
            assertTrue(child.waitFor(150, TimeUnit.SECONDS), "the child finishes within 150 s: " + tail(stdout));
            assertEquals(0, child.exitValue(), tail(stdout));
        } finally {
            child.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(stdout);
        List<String> results = new ArrayList<>(lines.stream().filter(l -> l.startsWith("OK ") || l.startsWith("FAIL ")
                || l.startsWith("AUTH ")).toList());
        System.out.println("secrets and SASL: " + results);
        assertTrue(lines.contains("DONE"), tail(stdout));
        assertTrue(results.stream().noneMatch(l -> l.startsWith("FAIL")), results.toString());
        for (String kind : List.of("refused without SASL settings", "admin (topic bootstrap)", "producer (document publisher)",
                "producer (idempotent event producer)", "consumer (topic reader)", "pekko-connectors-kafka (curation stream)",
                "admin (consumer lag collector)")) {
            assertTrue(results.stream().anyMatch(l -> l.startsWith("OK " + kind)), kind + " in " + results);
        }
        // every listening socket on loopback, the three servers among them, none reachable from outside
        List<String> listening = lines.stream().filter(l -> l.startsWith("LISTEN ")).toList();
        System.out.println("listening sockets: " + listening + "; " + lines.stream()
                .filter(l -> l.startsWith("PORT ") || l.startsWith("OTHER ADDRESS")).toList());
        assertTrue(listening.size() >= 6, "broker (3 listeners), metrics, dashboard, serving: " + listening);
        assertTrue(listening.stream().allMatch(l -> l.endsWith(" loopback")), listening.toString());
        for (String port : lines.stream().filter(l -> l.startsWith("PORT ")).toList()) {
            String number = port.substring(port.lastIndexOf(' ') + 1);
            assertTrue(listening.stream().anyMatch(l -> l.contains(":" + number + " ")), port + " listens: " + listening);
        }
        assertEquals(3, lines.stream().filter(l -> l.startsWith("PORT ")).count());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("REACHABLE")), String.join("\n", lines.stream()
                .filter(l -> l.startsWith("REACHABLE")).toList()));

        // no token, a wrong token of the same length, the right token
        assertTrue(results.contains("AUTH dashboard 401 401 200"), results.toString());
        assertTrue(results.contains("AUTH serving 401 401 200"), results.toString());

        String logged = Files.readString(log);
        String console = String.join("\n", lines);
        String metrics = Files.readString(data.resolve("metrics.txt"));
        assertTrue(logged.contains("sasl.jaas.config = [hidden]"), "Kafka's client configurations are in the log, "
                + "so a leak would show: " + logged.length() + " characters");
        assertTrue(metrics.contains("millrace_kafka_consumer_lag_records"), "the metrics page was read");
        for (Map.Entry<String, String> secret : Map.of("SASL password", password, "serving token", servingToken,
                "dashboard token", dashboardToken).entrySet()) {
            assertFalse(logged.contains(secret.getValue()), secret.getKey() + " in the log file");
            assertFalse(console.contains(secret.getValue()), secret.getKey() + " on the console");
            assertFalse(metrics.contains(secret.getValue()), secret.getKey() + " in /metrics");
        }
        System.out.printf("secrets: none of 3 in %d KB of logs, %d KB of console, %d KB of /metrics%n",
                logged.length() >> 10, console.length() >> 10, metrics.length() >> 10);
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file);
            return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
        } catch (java.io.IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
