package org.millrace.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.processing.EduClassifier;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;

/**
 * Scores every training document of a fetched corpus with a classifier model and prints, per source,
 * the mean score and the shares at or above the textbook threshold and below the drop threshold,
 * with the scorer's throughput. Usage:
 * {@code ClassifierCorpusScan <corpus dir> <model version dir> [textbook-at] [drop-below]}.
 */
public final class ClassifierCorpusScan {
    private ClassifierCorpusScan() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ClassifierCorpusScan <corpus dir> <model version dir> [textbook-at] [drop-below]");
            System.exit(2);
        }
        double textbookAt = args.length > 2 ? Double.parseDouble(args[2]) : 0.8;
        double dropBelow = args.length > 3 ? Double.parseDouble(args[3]) : 0.02;
        EduClassifier classifier = EduClassifier.load(Path.of(args[1]));
        Map<String, double[]> perSource = new TreeMap<>(); // docs, score sum, textbook, dropped, bytes
        long nanos = 0;
        try (Stream<Document> docs = Readers.forCorpus(Path.of(args[0]), ReaderOptions.defaults()).documents(r -> { })) {
            for (Document d : (Iterable<Document>) docs::iterator) {
                long t0 = System.nanoTime();
                double score = classifier.score(d.text());
                nanos += System.nanoTime() - t0;
                String key = d.source().equals("spam-assassin") && d.url() != null
                        ? d.source() + (d.url().contains("spam-") ? " (spam)" : " (ham)") : d.source();
                double[] c = perSource.computeIfAbsent(key, s -> new double[5]);
                c[0]++;
                c[1] += score;
                c[2] += score >= textbookAt ? 1 : 0;
                c[3] += score < dropBelow ? 1 : 0;
                c[4] += d.text().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        double docs = 0;
        double bytes = 0;
        System.out.printf(Locale.ROOT, "| source | documents | mean score | ≥ %.2f (textbook) | < %.2f (dropped) |%n", textbookAt, dropBelow);
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, double[]> e : perSource.entrySet()) {
            double[] c = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.3f | %.1f%% | %.1f%% |%n", e.getKey(), c[0], c[1] / c[0],
                    100 * c[2] / c[0], 100 * c[3] / c[0]);
            docs += c[0];
            bytes += c[4];
        }
        System.out.printf(Locale.ROOT, "scoring: %.0f documents/s, %.1f MB/s on one thread (%.1f MB of text)%n",
                docs / (nanos / 1e9), bytes / 1e6 / (nanos / 1e9), bytes / 1e6);
    }
}
