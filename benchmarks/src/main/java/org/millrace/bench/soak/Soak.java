package org.millrace.bench.soak;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.millrace.ops.bench.SoakRunner;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;

/**
 * {@code millrace bench --soak MINUTES}: the curation stream and a supervised trainer (checkpoints included)
 * on an embedded broker of their own, fed with documents for as long as asked, sampled every few seconds.
 * The model is the configured one ({@code millrace.model}), with the byte tokenizer; the pipeline is the
 * configured one without the classifier (which needs a model trained on the corpus first).
 */
public final class Soak implements SoakRunner {
    @Override
    public void run(Request request) throws Exception {
        Path work = Files.createDirectories(request.workDir());
        // Curation outruns the trainer: retention bounds what piles up on the broker (256 MB per partition).
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new BrokerOptions(work, 0, Map.of(
                "log.retention.bytes", Long.toString(256L << 20), "log.segment.bytes", Long.toString(64L << 20),
                "log.retention.check.interval.ms", "30000")));
        SoakSession session = new SoakSession(request, work, broker);
        // Ctrl-C ends the soak early: the samples so far are still reported.
        CountDownLatch reported = new CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        EmbeddedKafkaBroker.delayStopOnExitUntil(done); // the broker outlives the soak's own stop after Ctrl-C
        Thread hook = new Thread(() -> {
            session.interrupt();
            try {
                reported.await(180, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "millrace-soak-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            session.run();
        } finally {
            done.complete(null);
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook waited for the report written above
            }
        }
    }

    static String line(SoakSample s) {
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

    static void deleteTree(Path dir) {
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
