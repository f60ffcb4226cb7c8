package org.millrace.bench.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.millrace.bench.BenchText;
import org.millrace.processing.tokenizer.BpeTrainer;
import org.millrace.processing.tokenizer.HfBpeTokenizer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The default tokenizer's encoding of one document, before and after the piece cache: {@code whole}
 * hands the whole document to the tokenizers library in one call ({@link HfBpeTokenizer#encodeWhole});
 * {@code pieces} is {@link HfBpeTokenizer#encode} (pre-tokenized here, each distinct piece encoded by
 * the library once, then cached). Same ids (a test checks). Documents per second, and bytes per second
 * as the secondary figure. Text and tokenizer as {@link TokenizerEncodeBenchmark}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class BpeEncodeBenchmark {
    @Param({"whole", "pieces"})
    public String path;

    private String[] documents;
    private int[] documentBytes;
    private HfBpeTokenizer tokenizer;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String textFile = System.getProperty(TokenizerEncodeBenchmark.TEXT_PROPERTY);
        List<String> texts = textFile != null
                ? List.of(Files.readString(Path.of(textFile), StandardCharsets.UTF_8).split(TokenizerEncodeBenchmark.SEPARATOR))
                : BenchText.load(Path.of("millrace-data"), TokenizerEncodeBenchmark.SAMPLE_BYTES, line -> { }).texts();
        documents = texts.toArray(new String[0]);
        documentBytes = texts.stream().mapToInt(t -> t.getBytes(StandardCharsets.UTF_8).length).toArray();
        String file = System.getProperty(TokenizerEncodeBenchmark.BPE_PROPERTY);
        if (file != null) {
            tokenizer = HfBpeTokenizer.load(Path.of(file));
        } else {
            String json = new BpeTrainer(8192, 2, Runtime.getRuntime().availableProcessors()).train(texts).json();
            tokenizer = HfBpeTokenizer.fromJson(json.getBytes(StandardCharsets.UTF_8), "trained for the benchmark");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tokenizer.close();
    }

    /** UTF-8 bytes encoded, reported per second next to the primary result. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Benchmark
    public int encodeDocument(Bytes counter) {
        int i = next;
        next = i + 1 == documents.length ? 0 : i + 1;
        counter.bytes += documentBytes[i];
        return (path.equals("whole") ? tokenizer.encodeWhole(documents[i]) : tokenizer.encode(documents[i])).length;
    }
}
