package org.millrace.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.millrace.processing.MinHash;
import org.millrace.processing.NormalizedText;
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
 * MinHash as the dedup filter computes it per document (FineWeb: 5-gram shingles, 14 × 8 hashes):
 * normalisation, signature, band keys. Throughput in documents per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class MinHashBenchmark {
    /** Words per document (1,000 words is about 6 KB of English). */
    @Param({"1000"})
    int words;

    private final MinHash minHash = MinHash.fineWeb(1);
    private String text;
    private NormalizedText normalized;

    @Setup
    public void setUp() {
        text = BenchTexts.text(words, 42);
        normalized = NormalizedText.of(text);
    }

    /** Text to band keys: all the dedup filter computes before it looks at its store. */
    @Benchmark
    public long[] documentToBandKeys() {
        return minHash.bandKeys(minHash.signature(NormalizedText.of(text)));
    }

    /** The signature alone, of already normalised text. */
    @Benchmark
    public long[] signature() {
        return minHash.signature(normalized);
    }
}
