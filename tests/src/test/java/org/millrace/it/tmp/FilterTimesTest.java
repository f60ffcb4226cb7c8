package org.millrace.it.tmp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.*;
import org.millrace.processing.*;
import org.millrace.processing.tokenizer.JtokkitTokenizer;
import org.millrace.it.curation.RealDocuments;

class FilterTimesTest {
    @TempDir Path dir;
    @Test
    void times() {
        List<Document> docs = RealDocuments.read(2500, 32000);
        Config config = ConfigFactory.parseMap(Map.of("millrace.data-dir", dir.toString(),
                "millrace.curation.pipeline", List.of("size", "html-extract", "normalize", "language", "gopher-quality", "gopher-repetition",
                        "c4-lines", "code-quality", "pii", "dedup", "decontaminate"))).withFallback(Settings.load(null)).resolve();
        CurationSettings s = CurationSettings.fromConfig(config, Topics.fromConfig(config));
        List<DocumentFilter> filters = FilterRegistry.build(s);
        Map<String, Long> nanos = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        List<long[]> slow = new ArrayList<>();
        Tokenizer tok = new JtokkitTokenizer(JtokkitTokenizer.Kind.R50K);
        long total = 0;
        for (int pass = 0; pass < 2; pass++) {
          nanos.clear(); bytes.clear(); slow.clear(); total = 0;
          int i = 0;
          for (Document d0 : docs) {
            Document d = d0;
            total += d.text().length();
            long docStart = System.nanoTime();
            for (DocumentFilter f : filters) {
                long t = System.nanoTime();
                Verdict v = f.apply(d);
                long el = System.nanoTime() - t;
                nanos.merge(f.name(), el, Long::sum);
                bytes.merge(f.name(), (long) d.text().length(), Long::sum);
                if (el > 200_000_000L) System.out.println("slow " + f.name() + " " + el / 1e6 + " ms on " + d.id() + " " + d.text().length() + " " + d.metadata());
                if (v instanceof Verdict.Drop) { d = null; break; }
                d = ((Verdict.Keep) v).document();
            }
            if (d != null) {
                long t = System.nanoTime();
                tok.encode(d.text());
                nanos.merge("tokenize", System.nanoTime() - t, Long::sum);
                bytes.merge("tokenize", (long) d.text().length(), Long::sum);
            }
            i++;
          }
          if (pass == 0) { FilterRegistry.closeAll(filters); filters = FilterRegistry.build(
              CurationSettings.fromConfig(ConfigFactory.parseMap(Map.of("millrace.curation.dedup.dir", dir.resolve("d2").toString())).withFallback(config), Topics.fromConfig(config))); }
        }
        long sum = nanos.values().stream().mapToLong(x -> x).sum();
        System.out.printf("total %d chars, %.1f s, %.2f MB/s%n", total, sum / 1e9, total / 1e6 / (sum / 1e9));
        nanos.forEach((k, v) -> System.out.printf("%-20s %8.1f ms  %8.2f MB/s over %d chars%n", k, v / 1e6, bytes.get(k) / 1e6 / (v / 1e9), bytes.get(k)));
        FilterRegistry.closeAll(filters);
    }
}
