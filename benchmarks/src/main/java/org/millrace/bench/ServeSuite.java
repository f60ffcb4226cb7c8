package org.millrace.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Json;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.serving.CheckpointReloader;
import org.millrace.serving.GenerationEngine;
import org.millrace.serving.GreedyDecoding;
import org.millrace.serving.ModelSlot;
import org.millrace.serving.OpenAiServer;
import org.millrace.serving.ServedModel;
import org.millrace.serving.ServingSettings;
import org.millrace.serving.TokenizerLoader;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptParameters;

/**
 * Serving figures on the CPU demo shape (the {@code small} preset, width 256, 4 layers, 4 heads, byte
 * vocabulary) with a 512-position context, randomly initialised (speed does not depend on the weights):
 * tokens per second through the HTTP API for one and for 8 concurrent clients, the latency of a
 * 64-token completion with 8 clients, and the speed-up of KV-cache decoding over recomputing the whole
 * sequence for each of 256 generated tokens.
 *
 * <p>Engine threads: {@code millrace.model.threads} when set, else one for the time of this suite
 * (restored after). Serving runs many small operators; on a small, shared machine their intra-op
 * parallel regions wait at barriers for threads the OS has not scheduled, which slows every step many
 * times over and buries the figures in noise.
 */
public final class ServeSuite implements BenchSuite {
    private static final GptConfig MODEL = new GptConfig(257, 512, 256, 4, 4, 0.0, true);
    private static final int MAX_TOKENS = 64;
    private static final long C1_NANOS = 10_000_000_000L;
    private static final long C8_NANOS = 15_000_000_000L;

    @Override
    public String prefix() {
        return "serve";
    }

    @Override
    public int order() {
        return 60;
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        ai.djl.engine.Engine.getInstance(); // loaded before threads can be set
        int previous = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        int threads = ctx.settings().getInt("millrace.model.threads");
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads > 0 ? threads : 1);
        ctx.progress().accept("engine threads: " + ai.djl.pytorch.jni.JniUtils.getNumThreads() + " (was " + previous + ")");
        try {
            return measure(ctx);
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(previous);
        }
    }

    private List<Figure> measure(BenchContext ctx) throws Exception {
        Path checkpoint = writeCheckpoint(ctx.workDir().resolve("serve-checkpoints"));
        List<Figure> figures = new ArrayList<>();
        figures.add(kvCacheSpeedup(ctx, checkpoint));
        ServingSettings settings = ServingSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                "millrace.serving.port", 0, "millrace.serving.bearer-token", "", "millrace.serving.queue-capacity", 64))
                .withFallback(ctx.settings()));
        try (ModelSlot slot = new ModelSlot();
             CheckpointReloader reloader = new CheckpointReloader(slot, TokenizerLoader.builtIn(), Device.cpu())) {
            reloader.loadNow(checkpoint);
            try (OpenAiServer server = OpenAiServer.start(settings, slot, ctx.settings())) {
                load(server, 1, 3_000_000_000L, new ArrayList<>()); // warm-up
                List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
                double c1 = load(server, 1, C1_NANOS, new ArrayList<>());
                GenerationEngine.Stats before = server.engine().stats();
                double c8 = load(server, 8, C8_NANOS, latencies);
                GenerationEngine.Stats after = server.engine().stats();
                double meanBatch = (after.rowsForwarded() - before.rowsForwarded())
                        / (double) Math.max(1, after.forwards() - before.forwards());
                long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                double p50 = percentile(sorted, 0.50) / 1e6;
                double p99 = percentile(sorted, 0.99) / 1e6;
                ctx.progress().accept(String.format("%d-token completions: %.0f tokens/s alone, %.0f tokens/s with 8 clients "
                        + "(%.1f sequences per forward pass); latency with 8 clients p50 %.0f ms, p99 %.0f ms over %d requests",
                        MAX_TOKENS, c1, c8, meanBatch, p50, p99, sorted.length));
                figures.add(new Figure("serve.tokens_per_s.c1", c1, "tokens/s", null, true));
                figures.add(new Figure("serve.tokens_per_s.c8", c8, "tokens/s", null, true));
                figures.add(new Figure("serve.batch_mean.c8", meanBatch, "sequences", null, true));
                figures.add(new Figure("serve.latency_p50_ms", p50, "ms", null, false));
                figures.add(new Figure("serve.latency_p99_ms", p99, "ms", null, false));
            }
        }
        return figures;
    }

    private static Figure kvCacheSpeedup(BenchContext ctx, Path checkpoint) throws Exception {
        int[] prompt = new ByteTokenizer().encode("Once upon a time");
        int tokens = 256;
        ServedModel model = ServedModel.open(checkpoint, TokenizerLoader.builtIn(), Device.cpu());
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = model.gpt();
            GreedyDecoding.withSlots(model, prompt, 16); // warm-up
            GreedyDecoding.withCache(gpt, manager, prompt, 16);
            GreedyDecoding.recomputing(gpt, manager, prompt, 16);
            long t0 = System.nanoTime();
            int[] slots = GreedyDecoding.withSlots(model, prompt, tokens);
            long t1 = System.nanoTime();
            int[] cached = GreedyDecoding.withCache(gpt, manager, prompt, tokens);
            long t2 = System.nanoTime();
            int[] recomputed = GreedyDecoding.recomputing(gpt, manager, prompt, tokens);
            long t3 = System.nanoTime();
            double speedup = (t3 - t2) / (double) (t1 - t0);
            ctx.progress().accept(String.format("%d greedy tokens: %.0f ms with the server's slot cache, %.0f ms with the model's "
                    + "KvCache (%.1f×), %.0f ms recomputing (%.1f×)%s", tokens, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    (t3 - t2) / (double) (t2 - t1), (t3 - t2) / 1e6, speedup,
                    Arrays.equals(slots, recomputed) && Arrays.equals(cached, recomputed) ? "; same tokens" : "; NOT the same tokens"));
            return new Figure("serve.kv_cache_speedup", speedup, "×", 5.0, true);
        } finally {
            model.retire();
        }
    }

    /** Clients each sending 64-token completions back to back for {@code nanos}; returns generated tokens per second. */
    private static double load(OpenAiServer server, int clients, long nanos, List<Long> latencies) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong tokens = new AtomicLong();
        long start = System.nanoTime();
        long end = start + nanos;
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    String body = "{\"prompt\": \"The history of the millrace \", \"max_tokens\": " + MAX_TOKENS
                            + ", \"temperature\": 0.8, \"seed\": " + (client * 1000 + i) + "}";
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                        }
                        latencies.add(System.nanoTime() - sent);
                        tokens.addAndGet(Json.MAPPER.readTree(r.body()).get("usage").get("completion_tokens").asLong());
                    } catch (Exception e) {
                        failures.add(e);
                        return;
                    }
                }
            }, "bench-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return tokens.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static Path writeCheckpoint(Path checkpoints) {
        CheckpointManifest manifest = CheckpointManifest.modelOnly("bench", 1, 0,
                ByteTokenizer.NAME, TrainingLoop.modelDescription(MODEL), 1, Double.NaN, System.currentTimeMillis());
        return new CheckpointStore(checkpoints, "bench", 1).write(manifest, dir -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Gpt gpt = new Gpt(MODEL);
                gpt.initialize(manager, 1);
                GptParameters.save(gpt, TrainingLoop.parametersFile(dir));
            }
        });
    }
}
