package org.millrace.bench.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.millrace.bench.BenchText;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Tokenizer;
import org.millrace.processing.tokenizer.BpeTrainer;
import org.millrace.processing.tokenizer.HfBpeTokenizer;
import org.millrace.processing.tokenizer.JtokkitTokenizer;
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
 * Encode throughput of each tokenizer on real documents, one document per operation, cycling through
 * a fixed sample: the primary result is documents/s, the secondary {@code encodeDocument:bytes} is
 * UTF-8 bytes/s.
 * Text and BPE vocabulary come from {@code -Dmillrace.bench.text} and {@code -Dmillrace.bench.bpe} when
 * given (the tokenizer bench suite passes them), else from {@link BenchText} and a BPE trained here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class TokenizerEncodeBenchmark {
    public static final long SAMPLE_BYTES = 2_000_000;
    public static final String TEXT_PROPERTY = "millrace.bench.text";
    public static final String BPE_PROPERTY = "millrace.bench.bpe";
    /** Documents of the text file are separated by this line. */
    public static final String SEPARATOR = "\n\u241E\n";

    @Param({"byte", "bpe", "r50k", "cl100k"})
    public String kind;

    private String[] documents;
    private int[] documentBytes;
    private Tokenizer tokenizer;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String textFile = System.getProperty(TEXT_PROPERTY);
        List<String> texts;
        if (textFile != null) {
            texts = List.of(Files.readString(Path.of(textFile), StandardCharsets.UTF_8).split(SEPARATOR));
        } else {
            texts = BenchText.load(Path.of("millrace-data"), SAMPLE_BYTES, line -> { }).texts();
        }
        documents = texts.toArray(new String[0]);
        documentBytes = texts.stream().mapToInt(t -> t.getBytes(StandardCharsets.UTF_8).length).toArray();
        tokenizer = switch (kind) {
            case "byte" -> new ByteTokenizer();
            case "r50k" -> new JtokkitTokenizer(JtokkitTokenizer.Kind.R50K);
            case "cl100k" -> new JtokkitTokenizer(JtokkitTokenizer.Kind.CL100K);
            case "bpe" -> bpe(texts);
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    private static Tokenizer bpe(List<String> texts) throws IOException {
        String file = System.getProperty(BPE_PROPERTY);
        if (file != null) {
            return HfBpeTokenizer.load(Path.of(file));
        }
        Path tmp = Files.createTempFile("millrace-bench-bpe", ".json");
        Files.writeString(tmp, new BpeTrainer(8192, 2, Runtime.getRuntime().availableProcessors())
                .train(texts).json());
        HfBpeTokenizer t = HfBpeTokenizer.load(tmp);
        Files.delete(tmp);
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (tokenizer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
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
        return tokenizer.encode(documents[i]).length;
    }
}
