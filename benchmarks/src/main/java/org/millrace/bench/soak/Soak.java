package org.millrace.bench.soak;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.bench.SoakRunner;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.SeedDocuments;
import org.millrace.ops.run.TrainerRole;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.CurationStream;
import org.millrace.training.TrainerActor;
import org.millrace.training.TrainerSettings;
import org.millrace.training.TrainingLoop;
import org.millrace.training.model.GptTrainer;

/**
 * {@code millrace bench --soak MINUTES}: the curation stream and a supervised trainer (checkpoints included)
 * on an embedded broker of their own, fed with documents for as long as asked, sampled every few seconds.
 * The model is the configured one ({@code millrace.model}), with the byte tokenizer; the pipeline is the
 * configured one without the classifier (which needs a model trained on the corpus first).
 */
public final class Soak implements SoakRunner {
    private static final int MAX_BACKLOG_BATCHES = 256;
    private static final int MAX_DOCS_IN_FLIGHT = 2000;

    @Override
    public void run(Request request) throws Exception {
        Path work = Files.createDirectories(request.workDir());
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new BrokerOptions(work, 0, Map.of()));
        Config config = settings(request.settings(), work, broker.bootstrapServers());
        Topics topics = Topics.fromConfig(config);
        CurationSettings curation = CurationSettings.fromConfig(config, topics);
        TrainerSettings trainer = TrainerSettings.fromConfig(config);
        Tokenizer tokenizer = new ByteTokenizer();
        AtomicReference<GptTrainer> model = new AtomicReference<>();
        AtomicLong steps = new AtomicLong();
        AtomicLong tokens = new AtomicLong();
        CompletableFuture<Long> finished = new CompletableFuture<>();
        List<SoakSample> samples = new ArrayList<>();
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
                    this::latestDocsIn, () -> latestBatches() - steps.get(), MAX_BACKLOG_BATCHES,
                    MAX_DOCS_IN_FLIGHT);
            feedThread = new Thread(feed, "millrace-soak-feed");
            feedThread.setDaemon(true);
            feedThread.start();
            request.progress().accept(String.format(Locale.ROOT, "soak for %s on %s: model %s, byte tokenizer, pipeline %s; sampling every %.1f s",
                    request.duration(), broker.bootstrapServers(), config.getString("millrace.model.preset"),
                    config.getStringList("millrace.curation.pipeline"), request.sampleEvery().toMillis() / 1000.0));
            long end = System.nanoTime() + request.duration().toNanos();
            while (System.nanoTime() < end) {
                // The soak samples on a clock: this is its cadence, not a wait for a condition.
                Thread.sleep(Math.min(request.sampleEvery().toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                SoakSample s = sampler.sample();
                samples.add(s);
                request.progress().accept(line(s));
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
                    finished.get(120, TimeUnit.SECONDS);
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
            deleteTree(work);
        }
        double warmup = Math.min(request.duration().toSeconds() / 2.0, Math.max(60, request.duration().toSeconds() * 0.2));
        List<SoakReport.Growth> growth = SoakReport.growth(samples, warmup);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("minutes", request.duration().toMillis() / 60_000.0);
        settings.put("sample_seconds", request.sampleEvery().toMillis() / 1000.0);
        settings.put("model", config.getString("millrace.model.preset"));
        settings.put("pipeline", config.getStringList("millrace.curation.pipeline"));
        settings.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
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

    private long latestDocsIn() {
        return currentCounter("millrace_curation_documents_in");
    }

    private long latestBatches() {
        return currentCounter("millrace_curation_batches");
    }

    private static long currentCounter(String name) {
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

    private static String line(SoakSample s) {
        long secs = Math.round(s.seconds());
        return String.format(Locale.ROOT, "  %d:%02d · step %d · %.0f tok/s · %.0f docs/s · heap %.0f MB%s · RSS %.0f MB · native %.0f MB"
                        + " · DJL %.1f MB in %d tensors · Arrow %.1f MB · %d threads",
                secs / 60, secs % 60, s.steps(), s.tokensPerSecond(), s.docsPerSecond(), s.heapUsed() / 1048576.0,
                s.heapLive() >= 0 ? String.format(Locale.ROOT, " (live %.0f MB)", s.heapLive() / 1048576.0) : "",
                s.rss() / 1048576.0, s.nativeEstimate() / 1048576.0, s.djlTensorBytes() / 1048576.0, s.djlTensors(),
                s.arrowBytes() / 1048576.0, s.threads());
    }

    /** The soak's settings: the given ones on its own broker and directory, the byte tokenizer, no classifier. */
    static Config settings(Config given, Path work, String bootstrapServers) {
        List<String> pipeline = new ArrayList<>(given.getStringList("millrace.curation.pipeline"));
        pipeline.remove("classifier");
        return ConfigFactory.empty()
                .withValue("millrace.data-dir", ConfigValueFactory.fromAnyRef(work.toString()))
                .withValue("millrace.kafka.bootstrap-servers", ConfigValueFactory.fromAnyRef(bootstrapServers))
                .withValue("millrace.run-id", ConfigValueFactory.fromAnyRef("soak"))
                .withValue("millrace.trainer.max-steps", ConfigValueFactory.fromAnyRef(0))
                .withValue("millrace.curation.pipeline", ConfigValueFactory.fromIterable(pipeline))
                .withFallback(given);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort: it is a scratch directory
        }
    }
}
