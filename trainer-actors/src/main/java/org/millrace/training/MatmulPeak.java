package org.millrace.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.millrace.common.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fp32 matmul throughput that model FLOP utilisation (MFU) is measured against: the
 * {@code djl.matmul.gflops} figure of the last {@code millrace bench} on this machine when its result file
 * exists, else a short matmul measured now (once per JVM).
 *
 * @param gflops the peak, GFLOP/s
 * @param source where the figure came from, for the log and the terminal
 */
public record MatmulPeak(double gflops, String source) {
    private static final Logger LOG = LoggerFactory.getLogger(MatmulPeak.class);
    public static final String FIGURE = "djl.matmul.gflops";
    private static final int N = 1024;
    private static volatile MatmulPeak measured;

    /** From the bench result file if it holds the figure, else measured. */
    public static MatmulPeak resolve(Path benchResults) {
        if (benchResults != null && Files.isRegularFile(benchResults)) {
            try {
                JsonNode root = Json.MAPPER.readTree(benchResults.toFile());
                for (JsonNode f : root.path("figures")) {
                    if (FIGURE.equals(f.path("name").asText()) && f.path("value").asDouble() > 0) {
                        String when = root.path("machine").path("time").asText("unknown time");
                        return new MatmulPeak(f.path("value").asDouble(), FIGURE + " of the bench run at " + when + " (" + benchResults + ")");
                    }
                }
                LOG.info("{} holds no {} figure; measuring the matmul peak", benchResults, FIGURE);
            } catch (IOException e) {
                LOG.warn("cannot read bench results {} ({}); measuring the matmul peak", benchResults, e.getMessage());
            }
        }
        return measure();
    }

    /** A {@value #N}×{@value #N} fp32 matmul on the default device, repeated for about half a second. */
    public static MatmulPeak measure() {
        MatmulPeak m = measured;
        if (m != null) {
            return m;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(N, N));
            NDArray b = manager.randomNormal(new Shape(N, N));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            int reps = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                NDArray c = a.matMul(b);
                c.getFloat(0, 0);
                c.close();
                reps++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < 500_000_000L || reps < 5);
            double gflops = 2.0 * N * N * (double) N * reps / (elapsed / 1e9) / 1e9;
            m = new MatmulPeak(gflops, String.format(Locale.ROOT, "measured at start (%d×%d fp32 matmul on %s; run millrace bench "
                    + "for the figure MFU is meant against)", N, N, manager.getDevice()));
        }
        measured = m;
        return m;
    }

    /** Model FLOP utilisation of training at {@code tokensPerSecond}: 6·N·tokens/s over the peak. */
    public double mfu(long parameters, double tokensPerSecond) {
        return 6.0 * parameters * tokensPerSecond / (gflops * 1e9);
    }
}
