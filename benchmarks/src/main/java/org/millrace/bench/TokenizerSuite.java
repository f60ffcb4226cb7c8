package org.millrace.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.millrace.bench.jmh.TokenizerEncodeBenchmark;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Tokenizer;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.ops.tokenizer.TextSample;
import org.millrace.processing.tokenizer.BpeTrainer;
import org.millrace.processing.tokenizer.HfBpeTokenizer;
import org.millrace.processing.tokenizer.JtokkitTokenizer;
import org.millrace.processing.tokenizer.TokenizerSettings;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Tokenizer figures on real text (the corpus when the data directory has one, else the Millrace
 * sources): BPE training throughput at the configured vocabulary, and for each tokenizer the encode
 * throughput of one thread and its tokens per byte; then the JMH encode benchmark.
 */
public final class TokenizerSuite implements BenchSuite {
    private static final long TRAIN_BYTES = 16_000_000;
    private static final long ENCODE_SECONDS = 3;

    @Override
    public String prefix() {
        return "tokenizer";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        Path dataDir = Path.of(ctx.settings().getString("millrace.data-dir")).toAbsolutePath().normalize();
        TokenizerSettings settings = TokenizerSettings.fromConfig(ctx.settings(), dataDir);
        TextSample sample = BenchText.load(dataDir, TRAIN_BYTES, line -> ctx.progress().accept("text: " + line));
        List<Figure> figures = new ArrayList<>();

        BpeTrainer.Trained trained = settings.trainer(settings.vocabSize()).train(sample.texts());
        Path bpeFile = ctx.workDir().resolve("bench-tokenizer.json");
        Files.writeString(bpeFile, trained.json());
        ctx.progress().accept(String.format("BPE %d trained on %.1f MB in %.1f s (%d threads): %.2f MB/s", trained.vocabSize(),
                trained.sampleBytes() / 1e6, trained.totalTime().toNanos() / 1e9, settings.threads(), trained.megabytesPerSecond()));
        figures.add(new Figure("tokenizer.train.mb_per_s", trained.megabytesPerSecond(), "MB/s", null, true));

        TextSample encodeSample = TextSample.take(sample.texts().iterator(), TokenizerEncodeBenchmark.SAMPLE_BYTES);
        try (HfBpeTokenizer bpe = HfBpeTokenizer.load(bpeFile)) {
            for (Tokenizer t : List.of(new ByteTokenizer(), bpe, new JtokkitTokenizer(JtokkitTokenizer.Kind.R50K),
                    new JtokkitTokenizer(JtokkitTokenizer.Kind.CL100K))) {
                String kind = t instanceof HfBpeTokenizer ? "bpe" : t instanceof ByteTokenizer ? "byte" : t.name().replace("_base", "");
                double[] perf = encode(t, encodeSample);
                ctx.progress().accept(String.format("%-12s %8.2f MB/s  %.3f tokens per byte", t.name(), perf[0], perf[1]));
                figures.add(new Figure("tokenizer.encode." + kind + ".mb_per_s", perf[0], "MB/s", null, true));
                figures.add(new Figure("tokenizer." + kind + ".tokens_per_byte", perf[1], "tokens/B", null, false));
            }
        }
        figures.addAll(jmh(ctx, encodeSample, bpeFile));
        return figures;
    }

    /** MB/s of one thread over the sample (after a warm-up pass), and tokens per byte. */
    private static double[] encode(Tokenizer t, TextSample sample) {
        long tokens = 0;
        for (String text : sample.texts()) {
            tokens += t.encode(text).length;
        }
        long bytes = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            for (String text : sample.texts()) {
                t.encode(text);
            }
            bytes += sample.bytes();
            elapsed = System.nanoTime() - start;
        } while (elapsed < ENCODE_SECONDS * 1_000_000_000L);
        return new double[] {bytes / 1e6 / (elapsed / 1e9), tokens / (double) sample.bytes()};
    }

    /** The JMH benchmark in a forked JVM, on the same text and vocabulary. */
    private static List<Figure> jmh(BenchContext ctx, TextSample sample, Path bpeFile) throws Exception {
        Path textFile = ctx.workDir().resolve("bench-text.txt");
        Files.writeString(textFile, String.join(TokenizerEncodeBenchmark.SEPARATOR, sample.texts()), StandardCharsets.UTF_8);
        Options options = new OptionsBuilder()
                .include(TokenizerEncodeBenchmark.class.getName())
                .forks(1)
                .warmupIterations(1).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("--add-opens=java.base/java.nio=ALL-UNNAMED", "-D" + TokenizerEncodeBenchmark.TEXT_PROPERTY + "=" + textFile,
                        "-D" + TokenizerEncodeBenchmark.BPE_PROPERTY + "=" + bpeFile)
                .build();
        ctx.progress().accept("JMH " + TokenizerEncodeBenchmark.class.getSimpleName() + " (1 fork, 1 × 1 s warm-up, 3 × 1 s) ...");
        Collection<RunResult> results = new Runner(options).run();
        List<Figure> figures = new ArrayList<>();
        for (RunResult r : results) {
            String kind = r.getParams().getParam("kind");
            String base = "jmh." + TokenizerEncodeBenchmark.class.getSimpleName() + ".encodeDocument:kind=" + kind;
            Result<?> primary = r.getPrimaryResult();
            figures.add(new Figure(base, primary.getScore(), primary.getScoreUnit(), null, true));
            Result<?> bytes = r.getSecondaryResults().get("bytes");
            if (bytes != null) {
                figures.add(new Figure(base + ":bytes", bytes.getScore(), bytes.getScoreUnit(), null, true));
            }
        }
        return figures;
    }
}
