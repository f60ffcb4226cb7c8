package org.millrace.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.millrace.training.optim.OptimizerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training throughput of {@link GptTrainer} on this machine: a measurement to read, not a test.
 * Arguments (all optional): d-model n-layers n-heads seq batch vocab steps threads.
 * Defaults: 128 4 4 256 8 256 30 0.
 */
public final class GptThroughput {

    private GptThroughput() {}

    public static void main(String[] args) throws IOException {
        int d = arg(args, 0, 128);
        int layers = arg(args, 1, 4);
        int heads = arg(args, 2, 4);
        int seq = arg(args, 3, 256);
        int batch = arg(args, 4, 8);
        int vocab = arg(args, 5, 256);
        int steps = arg(args, 6, 30);
        int threads = arg(args, 7, 0);
        GptConfig config = new GptConfig(vocab, seq, d, layers, heads, 0.0, true);
        ComputeSettings compute = new ComputeSettings("auto", threads, 1);
        try (GptTrainer trainer = GptTrainer.create(config, OptimizerSettings.constant(6e-4), compute);
                NDManager data = NDManager.newBaseManager()) {
            System.out.printf(Locale.ROOT, "%s: %,d parameters on %s, %d threads%n", config,
                    config.parameterCount(), trainer.device(),
                    ai.djl.pytorch.jni.JniUtils.getNumThreads());
            int warmup = 3;
            long tokens = 0;
            long nanos = 0;
            double firstLoss = 0;
            double lastLoss = 0;
            for (int i = 0; i < warmup + steps; i++) {
                NDArray window = TokenData.repetitive(data, i, batch, seq + 1, vocab, 97);
                StepResult r = trainer.step(window);
                window.close();
                if (i == 0) {
                    firstLoss = r.loss();
                }
                lastLoss = r.loss();
                if (i >= warmup) {
                    tokens += r.tokens();
                    nanos += r.elapsedNanos();
                }
                if (i >= warmup && ((i - warmup) % Math.max(1, steps / 5) == 0 || i == warmup + steps - 1)) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf(Locale.ROOT, "step %d: rss %.0f MB, java heap committed %.0f MB%n", i, rssMb(),
                            rt.totalMemory() / 1048576.0);
                }
            }
            double perSecond = tokens * 1e9 / nanos;
            System.out.printf(Locale.ROOT,
                    "%d steps of %d×%d: %.0f tokens/s, %.1f ms/step; loss %.3f → %.3f; ≈ %.1f GFLOP/s (6·N·tokens/s)%n",
                    steps, batch, seq, perSecond, nanos / 1e6 / steps, firstLoss, lastLoss,
                    6.0 * config.parameterCount() * perSecond / 1e9);
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    private static double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
