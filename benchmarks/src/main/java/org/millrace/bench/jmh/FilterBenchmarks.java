package org.millrace.bench.jmh;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.processing.filters.C4LinesFilter;
import org.millrace.processing.filters.CodeQualityFilter;
import org.millrace.processing.filters.GopherQualityFilter;
import org.millrace.processing.filters.GopherRepetitionFilter;
import org.millrace.processing.filters.HtmlExtractFilter;
import org.millrace.processing.filters.LanguageFilter;
import org.millrace.processing.filters.NormalizeFilter;
import org.millrace.processing.filters.PiiFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Documents per second through each curation filter, one document per operation, with the default
 * settings: HTML extraction on a 25 KB page of the Python manual, the prose filters on a 12 KB
 * chapter of Moby-Dick (normalisation with its line breaks as CRLF, so that it has work to do), PII
 * on an 11 KB French newsletter with phone numbers and an address, the code rules on a 4 KB module.
 * MB/s = ops/s × the input's size (see docs/curation-filters.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FilterBenchmarks {
    private HtmlExtractFilter htmlExtract;
    private NormalizeFilter normalize;
    private LanguageFilter language;
    private GopherQualityFilter gopherQuality;
    private GopherRepetitionFilter gopherRepetition;
    private C4LinesFilter c4Lines;
    private CodeQualityFilter codeQuality;
    private PiiFilter pii;
    private Document page;
    private Document chapter;
    private Document chapterCrlf;
    private Document newsletter;
    private Document module;

    @Setup
    public void setUp() {
        Config config = ConfigFactory.load();
        htmlExtract = HtmlExtractFilter.fromConfig(config);
        normalize = NormalizeFilter.fromConfig(config);
        language = LanguageFilter.fromConfig(config);
        gopherQuality = GopherQualityFilter.fromConfig(config);
        gopherRepetition = GopherRepetitionFilter.fromConfig(config);
        c4Lines = C4LinesFilter.fromConfig(config);
        codeQuality = CodeQualityFilter.fromConfig(config);
        pii = PiiFilter.fromConfig(config);
        page = doc(sample("interpreter.html"), DocumentKind.WEB, "text/html");
        String moby = sample("moby-dick-chapter-1.txt").strip();
        chapter = doc(moby, DocumentKind.WEB, "text/plain");
        chapterCrlf = doc(moby.replace("\n", "\r\n"), DocumentKind.WEB, "text/plain");
        newsletter = doc(sample("french-mail.txt"), DocumentKind.WEB, "text/plain");
        module = doc(sample("colorsys.py"), DocumentKind.CODE, "text/x-python");
    }

    @Benchmark
    public Verdict htmlExtract() {
        return htmlExtract.apply(page);
    }

    @Benchmark
    public Verdict normalize() {
        return normalize.apply(chapterCrlf);
    }

    @Benchmark
    public Verdict language() {
        return language.apply(chapter);
    }

    @Benchmark
    public Verdict gopherQuality() {
        return gopherQuality.apply(chapter);
    }

    @Benchmark
    public Verdict gopherRepetition() {
        return gopherRepetition.apply(chapter);
    }

    @Benchmark
    public Verdict c4Lines() {
        return c4Lines.apply(chapter);
    }

    @Benchmark
    public Verdict codeQuality() {
        return codeQuality.apply(module);
    }

    @Benchmark
    public Verdict pii() {
        return pii.apply(newsletter);
    }

    private static Document doc(String text, DocumentKind kind, String contentType) {
        return new Document("bench", text, "bench", kind, null, Map.of("content_type", contentType));
    }

    static String sample(String name) {
        try (InputStream in = FilterBenchmarks.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("benchmark input " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
