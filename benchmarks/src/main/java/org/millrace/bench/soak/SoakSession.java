package org.millrace.bench.soak;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.bench.SoakRunner.Request;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.SeedDocuments;
import org.millrace.ops.run.TrainerRole;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.CurationStream;
import org.millrace.training.TrainerActor;
import org.millrace.training.TrainerSettings;
import org.millrace.training.TrainingLoop;
import org.millrace.training.model.GptTrainer;

/** One soak: the components it runs, what it has sampled, and its report. */
final class SoakSession {
    private static final int MAX_DOCS_IN_FLIGHT = 2000;

    private final Request request;
    private final Path work;
    private final EmbeddedKafkaBroker broker;
    private final Config config;
    private final Topics topics;
    private final CurationSettings curation;
    private final TrainerSettings trainer;
    private final Tokenizer tokenizer = new ByteTokenizer();
    private final AtomicReference<GptTrainer> model = new AtomicReference<>();
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private final CompletableFuture<Long> finished = new CompletableFuture<>();
    private final List<SoakSample> samples = new ArrayList<>();
    private volatile boolean interrupted;

    SoakSession(Request request, Path work, EmbeddedKafkaBroker broker) {
        this.request = request;
        this.work = work;
        this.broker = broker;
        this.config = Soak.settings(request.settings(), work, broker.bootstrapServers());
        this.topics = Topics.fromConfig(config);
        this.curation = CurationSettings.fromConfig(config, topics);
        this.trainer = TrainerSettings.fromConfig(config);
    }

    /** Ends the soak early (Ctrl-C); the samples so far are reported. */
    void interrupt() {
        interrupted = true;
    }

    /** Runs until the duration is over or {@link #interrupt()}, then stops everything and writes the report. */
    void run() throws Exception {
        ActorSystem<TrainerRole.Command> system = null;
        CurationStream stream = null;
        SoakFeed feed = null;
        Thread feedThread = null;
        try (KafkaConnection kafka = KafkaConnection.open(config, work)) {
            kafka.ensureTopics(topics);
            Map<String, Object> props = kafka.clientProperties();
            TrainerActor.LoopFactory loops = listener -> {
                GptTrainer t = GptTrainer.fromConfig(config, tokenizer.vocabSize());
                model.set(t);
                return new TrainingLoop(trainer, t, tokenizer.name(), topics, props, work.resolve("checkpoints"), listener);
            };
            system = ActorSystem.create(TrainerRole.create(loops, event -> {
                if (event instanceof TrainerActor.Stepped s) {
                    steps.set(s.report().step());
                    tokens.set(s.report().tokens());
                } else if (event instanceof TrainerActor.Finished f) {
                    finished.complete(f.step());
                } else if (event instanceof TrainerActor.Failed f) {
                    finished.completeExceptionally(new IllegalStateException(f.reason()));
                }
            }), "millrace-soak", config);
            stream = CurationStream.start(system, curation, topics, tokenizer, props, "soak");
            SoakSampler sampler = new SoakSampler(() -> {
                GptTrainer t = model.get();
                return t == null ? null : t.manager();
            }, () -> new long[] {steps.get(), tokens.get()});
            SoakSample first = sampler.sample();
            samples.add(first);
            feed = new SoakFeed(props, topics, SeedDocuments.read(Path.of(System.getProperty("millrace.home", ".")).toAbsolutePath()),
                    () -> counter("millrace_curation_documents_in"), MAX_DOCS_IN_FLIGHT);
            feedThread = new Thread(feed, "millrace-soak-feed");
            feedThread.setDaemon(true);
            feedThread.start();
            request.progress().accept(String.format(Locale.ROOT, "soak for %s on %s: model %s, byte tokenizer, pipeline %s; sampling every %.1f s",
                    request.duration(), broker.bootstrapServers(), config.getString("millrace.model.preset"),
                    config.getStringList("millrace.curation.pipeline"), request.sampleEvery().toMillis() / 1000.0));
            long end = System.nanoTime() + request.duration().toNanos();
            while (System.nanoTime() < end && !interrupted) {
                // The soak samples on a clock: this is its cadence, not a wait for a condition.
                long next = System.nanoTime() + Math.min(request.sampleEvery().toNanos(), Math.max(1, end - System.nanoTime()));
                while (System.nanoTime() < next && !interrupted) {
                    Thread.sleep(50);
                }
                SoakSample s = sampler.sample();
                samples.add(s);
                request.progress().accept(Soak.line(s));
                if (finished.isCompletedExceptionally()) {
                    finished.join(); // throws the trainer's failure
                }
                if (stream.completion().toCompletableFuture().isDone()) {
                    stream.completion().toCompletableFuture().join();
                    throw new IllegalStateException("the curation stream ended during the soak");
                }
                if (feed.failure() != null) {
                    throw new IllegalStateException("the soak's document feed failed: " + feed.failure(), feed.failure());
                }
            }
        } finally {
            if (feed != null) {
                feed.stop();
                feedThread.join(10_000);
            }
            if (system != null) {
                system.tell(new TrainerRole.StopTraining());
                try {
                    // after Ctrl-C the person waits: a short while only
                    finished.get(interrupted ? 20 : 120, TimeUnit.SECONDS);
                } catch (Exception e) {
                    request.progress().accept("the trainer did not stop cleanly: " + e);
                }
                if (stream != null) {
                    stream.drainAndShutdown(Runnable::run).toCompletableFuture().get(60, TimeUnit.SECONDS);
                }
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            broker.close();
            Soak.deleteTree(work);
        }
        double ran = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).seconds();
        double warmup = Math.min(ran / 2.0, Math.max(60, ran * 0.2));
        List<SoakReport.Growth> growth = SoakReport.growth(samples, warmup);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("minutes", request.duration().toMillis() / 60_000.0);
        settings.put("sample_seconds", request.sampleEvery().toMillis() / 1000.0);
        settings.put("model", config.getString("millrace.model.preset"));
        settings.put("pipeline", config.getStringList("millrace.curation.pipeline"));
        settings.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        settings.put("jvm_flags", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        settings.put("ended_early", interrupted);
        settings.put("documents_published", feed == null ? 0 : feed.published());
        SoakReport.writeJson(request.json(), settings, samples, growth, warmup);
        Path png = request.json().resolveSibling(request.json().getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        SoakReport.writePlot(png, samples);
        request.progress().accept(String.format(Locale.ROOT, "%ngrowth after %.0f s of warm-up (least-squares slope per hour):", warmup));
        for (SoakReport.Growth g : growth) {
            request.progress().accept(String.format(Locale.ROOT, "  %-28s %10.1f -> %10.1f %-5s  min %10.1f  max %10.1f  slope %+10.2f %s/h",
                    g.name(), g.first(), g.last(), g.unit(), g.min(), g.max(), g.slopePerHour(), g.unit()));
        }
        request.progress().accept("wrote " + request.json() + " and " + png);
    }

    private static long counter(String name) {
        double total = 0;
        for (var s : io.prometheus.metrics.model.registry.PrometheusRegistry.defaultRegistry.scrape(n -> n.equals(name) || n.equals(name + "_total"))) {
            if (s instanceof io.prometheus.metrics.model.snapshots.CounterSnapshot c) {
                for (var d : c.getDataPoints()) {
                    total += d.getValue();
                }
            }
        }
        return (long) total;
    }

}
