package org.millrace.bench.jmh;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.processing.DedupFilter;
import org.millrace.processing.DedupSettings;
import org.millrace.processing.SizeFilter;
import org.millrace.processing.decontamination.ContaminationIndex;
import org.millrace.processing.decontamination.DecontaminationFilter;
import org.millrace.processing.decontamination.DecontaminationSettings;
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
 * The filters {@link FilterBenchmarks} leaves out, per document of {@code words} words: size, dedup
 * (a new 1,000-word document each call, made outside the measured time: MinHash, the RocksDB look-ups and the atomic write of its keys) and
 * decontamination (against 2,000 evaluation items). Documents per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class CurationFilterBenchmarks {
    /** Words per document (1,000 words is about 6 KB of English). */
    @Param({"1000"})
    int words;

    private SizeFilter size;
    private DedupFilter dedup;
    private DecontaminationFilter decontaminate;
    private Path dedupDir;
    private Document document;

    @Setup
    public void setUp() throws IOException {
        size = new SizeFilter(1, 16L * 1024 * 1024);
        dedupDir = Files.createTempDirectory("millrace-dedup-bench");
        dedup = new DedupFilter(DedupSettings.fromConfig(ConfigFactory.parseMap(Map.of("millrace.curation.dedup.dir",
                dedupDir.toString())).withFallback(ConfigFactory.load()), dedupDir));
        DecontaminationSettings settings = DecontaminationSettings.fromConfig(ConfigFactory.load());
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            items.add(EvalItem.text("item" + i, "bench", "doc" + i, BenchTexts.text(60, 10_000 + i)));
        }
        decontaminate = new DecontaminationFilter(ContaminationIndex.of(settings, Map.of("bench", items), List.of()), settings);
        document = doc("bench", BenchTexts.text(words, 42));
    }

    @TearDown
    public void tearDown() throws IOException {
        dedup.close();
        try (var files = Files.walk(dedupDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static Document doc(String id, String text) {
        return new Document(id, text, "bench", DocumentKind.WEB, null, Map.of());
    }

    @Benchmark
    public Verdict size() {
        return size.apply(document);
    }

    /** A document dedup has not seen, made before each call (outside the measured time). */
    @State(Scope.Thread)
    public static class NewDocument {
        private long n;
        Document document;

        @Setup(Level.Invocation)
        public void next() {
            n++;
            document = doc("d" + n, BenchTexts.text(1000, 1_000_000 + n));
        }
    }

    /** A new id and text every call: the full work of a document that is kept and registered. */
    @Benchmark
    public Verdict dedup(NewDocument next) {
        return dedup.apply(next.document);
    }

    @Benchmark
    public Verdict decontaminate() {
        return decontaminate.apply(document);
    }
}
