package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.MetricNames;
import org.millrace.common.Settings;
import org.millrace.it.monitoring.DebianTools;
import org.millrace.it.monitoring.HeadlessChromium;
import org.millrace.it.monitoring.PrometheusServer;
import org.millrace.it.monitoring.Promtool;
import org.millrace.it.monitoring.RegistryNames;
import org.millrace.it.monitoring.SmallCorpus;
import org.millrace.ops.Main;
import org.millrace.ops.run.MillraceRun;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.RunSummary;
import org.millrace.ops.run.SeedDocuments;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import picocli.CommandLine;

/**
 * Monitoring of one tiny run that trains while the tests watch it: the dashboard in a real headless
 * Chromium, the metric naming scheme, a real Prometheus scraping the run, promtool on the exposition
 * and on the rules, the metrics the Grafana and alert files name, and {@code millrace status}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringTest {
    private static final String RUN = "monitoring";
    private static final Path ARTEFACTS = Path.of("target", "monitoring");
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path dataDir;
    static int metricsPort;
    static int dashboardPort;
    static ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    static MillraceRun run;
    static ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "monitoring-run"));
    static Future<RunSummary> finished;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startRun() throws Exception {
        Files.createDirectories(ARTEFACTS);
        metricsPort = freePort();
        dashboardPort = freePort();
        Config config = ConfigFactory.parseMap(Map.ofEntries(
                        Map.entry("millrace.data-dir", dataDir.toString()),
                        Map.entry("millrace.run-id", RUN),
                        // the small corpus below as seed documents: fast and offline
                        Map.entry("millrace.run.documents", "seed"),
                        // the whole pipeline but the classifier, whose first use trains it on the fetched corpus
                        Map.entry("millrace.curation.pipeline", java.util.List.of("size", "html-extract", "normalize",
                                "language", "gopher-quality", "gopher-repetition", "c4-lines", "code-quality", "pii",
                                "dedup", "decontaminate")),
                        Map.entry("millrace.metrics.port", metricsPort),
                        Map.entry("millrace.metrics.lag-interval", "1s"),
                        Map.entry("millrace.dashboard.port", dashboardPort),
                        Map.entry("millrace.dashboard.sample-interval", "500ms"),
                        Map.entry("millrace.tokenizer.kind", "byte"),
                        Map.entry("millrace.model.preset", "tiny"),
                        Map.entry("millrace.model.context-length", 64),
                        Map.entry("millrace.curation.seq-len", 64),
                        Map.entry("millrace.optim.warmup-steps", 5),
                        Map.entry("millrace.optim.learning-rate", 3e-3),
                        Map.entry("millrace.trainer.max-steps", 0), // until the tests stop it
                        Map.entry("millrace.trainer.checkpoint-every", 10),
                        Map.entry("millrace.trainer.event-every", 5)))
                .withFallback(Settings.load(null)).resolve();
        // A small corpus keeps evaluation (and so the run's last checkpoint) quick.
        Path corpus = SmallCorpus.write(dataDir.resolve("corpus"), 60, 20);
        assertTrue(SeedDocuments.read(corpus).stream().filter(d -> SeedDocuments.heldOut(d, 10)).count() >= 3, "a held-out set");
        run = new MillraceRun(new MillraceRun.Options(config, dataDir, corpus), new ProgressLine(new PrintStream(terminal, true)));
        finished = runner.submit(run::execute);
    }

    @AfterAll
    static void stopRun() throws Exception {
        try {
            run.requestStop();
            long stopping = System.nanoTime();
            RunSummary summary = finished.get(6, TimeUnit.MINUTES);
            System.out.printf("the run stopped %.1f s after it was asked to%n", (System.nanoTime() - stopping) / 1e9);
            assertTrue(summary.steps() > 0, "the run trained: " + summary);
        } finally {
            runner.shutdownNow();
            Files.writeString(ARTEFACTS.resolve("run-output.txt"), terminal.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(1)
    void theDashboardFollowsTheRunInHeadlessChromium() throws Exception {
        await(Duration.ofSeconds(60), () -> output().contains("dashboard at"), "the run prints the dashboard's address");
        String address = "http://127.0.0.1:" + dashboardPort + "/dashboard";
        assertTrue(output().contains("dashboard at " + address), output());

        Optional<String> missing = DebianTools.ensure(HeadlessChromium.PACKAGES, List.of(HeadlessChromium.BROWSER, HeadlessChromium.DRIVER));
        assumeTrue(missing.isEmpty(), () -> "no headless browser test: " + missing.orElse(""));
        ChromeDriver browser = HeadlessChromium.start(Files.createTempDirectory(dataDir, "chromium-profile"), 1440, 1350);
        try {
            browser.get(address);
            JavascriptExecutor js = browser;
            await(Duration.ofSeconds(30), () -> number(js, "return window.millrace ? window.millrace.ticks : 0") > 0,
                    "the page receives ticks");
            String lossPoints = "const d = window.millrace.charts.loss.data.datasets; return d.length ? d[0].data.length : 0";
            await(Duration.ofSeconds(90), () -> number(js, lossPoints) >= 2, "the loss chart gets points");
            long before = number(js, lossPoints);
            await(Duration.ofSeconds(90), () -> number(js, lossPoints) >= before + 3, "the loss chart grows while the run trains");
            await(Duration.ofSeconds(120), () -> number(js, "return window.millrace.charts.eval.data.datasets.length") > 0,
                    "the evaluation chart shows the first evaluated checkpoint");
            await(Duration.ofSeconds(30), () -> number(js, "return window.millrace.charts.mixture.data.datasets.length") > 0,
                    "the mixture chart shows a bucket");
            assertTrue(js.executeScript("return window.millrace.charts.funnel.data.labels.join(',')").toString().contains("size"),
                    "the funnel shows the size filter");
            assertEquals("single node", browser.findElement(org.openqa.selenium.By.id("cluster-mode")).getText());

            List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
            Files.writeString(ARTEFACTS.resolve("browser-console.txt"), console.stream().map(LogEntry::toString).collect(Collectors.joining("\n")));
            List<LogEntry> errors = console.stream().filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList();
            assertEquals(List.of(), errors, "console errors on the dashboard");
            js.executeScript("console.error('millrace console probe')"); // the console really is captured
            assertTrue(browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .anyMatch(e -> e.getMessage().contains("millrace console probe")), "the browser console is read");

            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            Files.write(ARTEFACTS.resolve("dashboard.png"), png);
            assertTrue(png.length > 20_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot of " + png.length + " bytes");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(2)
    void everyMillraceMetricFollowsTheNamingSchemeAndIsDocumented() throws Exception {
        awaitEvaluated();
        List<RegistryNames.Registered> registered = RegistryNames.millrace(PrometheusRegistry.defaultRegistry);
        String exposition = scrape();
        String docs = Files.readString(REPO.resolve("docs/metrics.md"));
        List<String> problems = new ArrayList<>();
        for (RegistryNames.Registered m : registered) {
            problems.addAll(MetricNames.problems(m.name(), m.type(), m.help(), m.labels()));
            if (!docs.contains("`" + m.name() + "`")) {
                problems.add(m.name() + ": not in docs/metrics.md");
            }
        }
        assertEquals(List.of(), problems);
        for (String expected : List.of("millrace_curation_filter_documents_total", "millrace_train_loss", "millrace_train_step_seconds",
                "millrace_kafka_consumer_lag_records", "millrace_eval_value", "millrace_memory_native_bytes")) {
            assertTrue(RegistryNames.exposedNames(registered).contains(expected), expected + " is registered");
        }
        assertTrue(exposition.contains("millrace_kafka_consumer_lag_records{group=\"millrace-curation\",topic=\"millrace.docs.web\"}"),
                "lag of the curation group is served");
        assertTrue(exposition.contains("millrace_eval_value{metric=\"loss\",run=\"" + RUN + "\",task=\"heldout_"), "eval value per task is served");
    }

    @Test
    @Order(3)
    void aRealPrometheusScrapesTheRunAndAnswersPromQL() throws Exception {
        Optional<String> missing = DebianTools.ensure(List.of("prometheus"), List.of(PrometheusServer.BINARY, PrometheusServer.PROMTOOL));
        assumeTrue(missing.isEmpty(), () -> "no Prometheus test: " + missing.orElse(""));

        Promtool.Verdict lint = Promtool.checkMetrics(scrape());
        assertEquals(0, lint.exitCode(), "promtool check metrics: " + lint.output());
        assertEquals("", lint.output().trim(), "promtool check metrics finds no problem");

        try (PrometheusServer prometheus = PrometheusServer.start(dataDir.resolve("prometheus"), "127.0.0.1:" + metricsPort)) {
            String promql = "max(millrace_train_lineage_step{run=\"" + RUN + "\"})";
            double[] step = {0};
            await(Duration.ofSeconds(45), () -> {
                JsonNode result = uncheckedQuery(prometheus, promql).path("result");
                step[0] = result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
                return step[0] > 0;
            }, "Prometheus answers " + promql);
            JsonNode up = uncheckedQuery(prometheus, "up{job=\"millrace\"}").path("result");
            assertEquals("1", up.get(0).path("value").get(1).asText(), "the scrape target is up");
            double stepLater = step[0];
            await(Duration.ofSeconds(45), () -> uncheckedQuery(prometheus, promql).path("result").get(0).path("value").get(1).asDouble() > stepLater,
                    "the step Prometheus sees grows");
        }
    }

    @Test
    @Order(4)
    void theGrafanaAndAlertFilesNameOnlyMetricsThatExistAndTheRulesPass() throws Exception {
        awaitEvaluated();
        List<RegistryNames.Registered> registered = RegistryNames.millrace(PrometheusRegistry.defaultRegistry);
        Set<String> exposed = RegistryNames.exposedNames(registered);
        Set<String> areasInRun = registered.stream().map(r -> RegistryNames.area(r.name())).collect(Collectors.toSet());
        String docs = Files.readString(REPO.resolve("docs/metrics.md"));
        List<String> problems = new ArrayList<>();
        List<String> notInThisRun = new ArrayList<>();
        for (String file : List.of("ops/grafana/millrace.json", "ops/prometheus/alerts.yml", "ops/prometheus/prometheus.yml")) {
            for (String name : RegistryNames.referencedIn(Files.readString(REPO.resolve(file)))) {
                if (exposed.contains(name)) {
                    continue;
                }
                if (areasInRun.contains(RegistryNames.area(name))) {
                    problems.add(file + " names " + name + ", which the registry does not hold");
                } else if (!docs.contains("`" + name.replaceAll("_(bucket|count|sum)$", "") + "`")) {
                    problems.add(file + " names " + name + ", neither registered nor documented in docs/metrics.md");
                } else {
                    notInThisRun.add(name); // a component that `millrace run` does not start (e.g. serving)
                }
            }
        }
        assertEquals(List.of(), problems);
        System.out.println("named in the files, of components this run does not start: " + notInThisRun);

        Optional<String> missing = DebianTools.ensure(List.of("prometheus"), List.of(PrometheusServer.PROMTOOL));
        assumeTrue(missing.isEmpty(), () -> "no promtool check of the rules: " + missing.orElse(""));
        Promtool.Verdict rules = Promtool.check("rules", REPO.resolve("ops/prometheus/alerts.yml").toString());
        assertEquals(0, rules.exitCode(), rules.output());
        assertTrue(rules.output().contains("SUCCESS"), rules.output());
        Promtool.Verdict config = Promtool.check("config", REPO.resolve("ops/prometheus/prometheus.yml").toString());
        assertEquals(0, config.exitCode(), config.output());
    }

    @Test
    @Order(5)
    void statusShowsTopicsLagTrainerAndEvaluationsOnOneScreen() throws Exception {
        awaitEvaluated();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cli.execute("status", "--data-dir", dataDir.toString());
        String screen = out.toString();
        Files.writeString(ARTEFACTS.resolve("status.txt"), screen);
        assertEquals(0, exit, err.toString());
        assertTrue(screen.contains("Cluster: single node"), screen);
        assertTrue(screen.lines().anyMatch(l -> l.startsWith("millrace.docs.web") && l.contains("millrace-curation")), screen);
        assertTrue(screen.lines().anyMatch(l -> l.startsWith(RUN) && l.matches(RUN + "\\s+\\d+\\s+\\d+\\.\\d{4}\\s+.*")),
                "a trainer row: " + screen);
        assertTrue(screen.lines().anyMatch(l -> l.startsWith(RUN) && l.contains("heldout_") && l.contains(" loss ")), "an evaluation row: " + screen);
        assertTrue(screen.lines().count() <= 40, "one screen: " + screen.lines().count() + " lines");
    }

    // --- helpers

    private static String output() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    private static void awaitEvaluated() throws InterruptedException {
        await(Duration.ofSeconds(120), () -> RegistryNames.millrace(PrometheusRegistry.defaultRegistry).stream()
                .anyMatch(m -> m.name().equals("millrace_eval_value") && !m.labels().isEmpty()), "a checkpoint is evaluated");
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static JsonNode uncheckedQuery(PrometheusServer prometheus, String promql) {
        try {
            return prometheus.query(promql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(JavascriptExecutor js, String script) {
        Object v = js.executeScript(script);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** Polls {@code condition} until it holds; fails naming it (and the run's output) after {@code timeout}. */
    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (finished.isDone()) {
                throw new AssertionError("the run ended before: " + what + "\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "\n" + output());
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
