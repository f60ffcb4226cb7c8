package org.millrace.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;

/**
 * fp32 matrix multiply throughput of the DJL engine on this machine: the peak that model FLOP
 * utilisation (MFU) is measured against.
 */
public final class DjlSuite implements BenchSuite {
    private static final int N = 2048;

    @Override
    public String prefix() {
        return "djl";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public List<Figure> run(BenchContext ctx) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(N, N));
            NDArray b = manager.randomNormal(new Shape(N, N));
            for (int i = 0; i < 3; i++) { // warm-up: thread pools, caches
                a.matMul(b).close();
            }
            int reps = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // force completion on lazy engines
                c.close();
                reps++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < 3_000_000_000L || reps < 5);
            double gflops = 2.0 * N * N * (double) N * reps / (elapsed / 1e9) / 1e9;
            ctx.progress().accept(String.format("%d×%d fp32 matmul on %s: %.1f GFLOP/s over %d runs",
                    N, N, manager.getDevice(), gflops, reps));
            return List.of(new Figure("djl.matmul.gflops", gflops, "GFLOP/s", null, true));
        }
    }
}
