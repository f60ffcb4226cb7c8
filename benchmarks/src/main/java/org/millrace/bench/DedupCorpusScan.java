package org.millrace.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.common.Verdict;
import org.millrace.processing.DedupFilter;
import org.millrace.processing.DedupSettings;
import org.millrace.processing.internal.TextCleaner;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;

/**
 * Runs the dedup filter over every training document of a fetched corpus (markup stripped first,
 * as the extraction filter does in the stream) and prints exact and near duplicates per source and
 * the filter's throughput. Usage: {@code DedupCorpusScan <corpus dir> <new state dir>}.
 */
public final class DedupCorpusScan {
    private DedupCorpusScan() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: DedupCorpusScan <corpus dir> <new state dir>");
            System.exit(2);
        }
        Map<String, long[]> perSource = new TreeMap<>(); // docs, exact, near, bytes
        long nanos = 0;
        DedupSettings settings = new DedupSettings(Path.of(args[1]), 14, 8, 5, 1, 0.0, 64L << 20, 16L << 20, 512, false);
        try (DedupFilter filter = new DedupFilter(settings);
             Stream<Document> docs = Readers.forCorpus(Path.of(args[0]), ReaderOptions.defaults()).documents(r -> { })) {
            for (Document raw : (Iterable<Document>) docs::iterator) {
                Document d = raw.withText(TextCleaner.clean(raw.text()));
                long t0 = System.nanoTime();
                Verdict v = filter.apply(d);
                nanos += System.nanoTime() - t0;
                long[] c = perSource.computeIfAbsent(d.source(), s -> new long[4]);
                c[0]++;
                c[3] += d.text().getBytes(StandardCharsets.UTF_8).length;
                if (v instanceof Verdict.Drop drop) {
                    c[drop.reason().equals("exact_duplicate") ? 1 : 2]++;
                }
            }
        }
        long docs = 0;
        long exact = 0;
        long near = 0;
        long bytes = 0;
        System.out.println("| source | documents | exact duplicates | near duplicates | near-dup rate |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, long[]> e : perSource.entrySet()) {
            long[] c = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %.2f%% |%n", e.getKey(), c[0], c[1], c[2], 100.0 * c[2] / c[0]);
            docs += c[0];
            exact += c[1];
            near += c[2];
            bytes += c[3];
        }
        System.out.printf(Locale.ROOT, "| all | %,d | %,d | %,d | %.2f%% |%n", docs, exact, near, 100.0 * near / docs);
        System.out.printf(Locale.ROOT, "dedup filter: %.0f documents/s, %.1f MB/s on one thread (%.1f MB of text)%n",
                docs / (nanos / 1e9), bytes / 1e6 / (nanos / 1e9), bytes / 1e6);
    }
}
