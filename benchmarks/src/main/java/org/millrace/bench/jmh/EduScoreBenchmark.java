package org.millrace.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.millrace.processing.ClassifierSettings;
import org.millrace.processing.EduClassifier;
import org.millrace.processing.EduClassifierTrainer;
import org.millrace.processing.LabelledText;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The educational-value classifier's scoring of one document (format stripping, normalisation,
 * hashed uni- and bigrams, embedding bag, linear, sigmoid) with the default model shape
 * (65,536 buckets × 16). The model is a real one, trained in setup for one epoch on made-up
 * seeds, or loaded from {@code -p model=<version dir>}. Throughput in documents per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class EduScoreBenchmark {
    @Param({"1000"})
    int words;

    /** A model version directory to load; empty: train a small one in setup. */
    @Param({""})
    String model;

    private EduClassifier classifier;
    private String text;

    @Setup
    public void setUp() {
        text = BenchTexts.text(words, 42);
        if (!model.isEmpty()) {
            classifier = EduClassifier.load(Path.of(model));
            return;
        }
        try {
            Path dir = Files.createTempDirectory("millrace-edu-bench");
            ClassifierSettings settings = new ClassifierSettings(dir, "latest", 1 << 16, 16, 4096,
                    new ClassifierSettings.Train(256, 4, 1000, 0.2, 1, 32, 0.01, 1, 1), 0.8, 0.02);
            List<LabelledText> seeds = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                seeds.add(new LabelledText(BenchTexts.text(300, i), i % 2 == 0, "bench", "g" + i));
            }
            classifier = new EduClassifierTrainer(settings, m -> { }).train(seeds).classifier();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public double score() {
        return classifier.score(text);
    }
}
