package org.millrace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.millrace.common.Json;
import org.millrace.ops.bench.BenchContext;
import org.millrace.training.model.GptConfig;

/**
 * Runs {@code python/train_bench.py} (from {@code src/main/python}) with Debian's {@code /usr/bin/python3}:
 * the same model, batch and threads in PyTorch eager. Debian's torch runs on the reference BLAS as
 * installed; where {@code libopenblas0-openmp} is present it is put first on the library path, with the
 * core type named when the CPU has AVX-512 (OpenBLAS 0.3.21 does not recognise every such CPU).
 */
final class PyTorchReference {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp");

    /** What the reference measured. */
    record Result(double tokensPerSecond, String version) {
    }

    private PyTorchReference() {
    }

    /** The reference's throughput, or empty (with a message saying why) where torch is missing. */
    static Optional<Result> run(BenchContext ctx, GptConfig model, int rows, int threads, int warmup, int steps) throws Exception {
        if (!Files.isExecutable(PYTHON) || !hasTorch()) {
            ctx.progress().accept("train.vs_pytorch skipped: " + PYTHON + " cannot import torch (install Debian's python3-torch, "
                    + "and libopenblas0-openmp for a fair BLAS)");
            return Optional.empty();
        }
        Path script = ctx.workDir().resolve("train_bench.py");
        try (InputStream in = PyTorchReference.class.getResourceAsStream("/python/train_bench.py")) {
            if (in == null) {
                throw new IllegalStateException("python/train_bench.py is missing from the benchmarks jar");
            }
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString(),
                "--vocab", Integer.toString(model.vocabSize()), "--seq", Integer.toString(model.contextLength()),
                "--d-model", Integer.toString(model.dModel()), "--layers", Integer.toString(model.nLayers()),
                "--heads", Integer.toString(model.nHeads()), "--batch", Integer.toString(rows), "--threads", Integer.toString(threads),
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        if (Files.isDirectory(OPENBLAS)) {
            pb.environment().put("LD_LIBRARY_PATH", OPENBLAS.toString());
            if (cpuHas("avx512f")) {
                pb.environment().put("OPENBLAS_CORETYPE", "SkylakeX");
            }
            ctx.progress().accept("PyTorch reference on OpenBLAS (" + OPENBLAS + ")");
        } else {
            ctx.progress().accept("PyTorch reference on the BLAS as installed (libopenblas0-openmp is missing: the figure is unfair to PyTorch)");
        }
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the PyTorch reference failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "): " + out);
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        JsonNode result = Json.MAPPER.readTree(last);
        return Optional.of(new Result(result.path("tokens_per_s").asDouble(), result.path("torch").asText()));
    }

    private static boolean hasTorch() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static boolean cpuHas(String flag) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .anyMatch(l -> l.startsWith("flags") && List.of(l.split("\\s+")).contains(flag));
        } catch (IOException e) {
            return false;
        }
    }
}
