package org.millrace.processing.filters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;

/**
 * HTML extraction scored against reST sources: every {@code <name>.rst.txt} under the reST directory
 * that has a {@code <name>.html} under the HTML directory (the Python manual's {@code _sources}
 * layout) is a pair; the page goes through {@link HtmlExtractFilter} and its text is scored against
 * {@link RestPlainText} of the source with {@link ExtractionScore}.
 */
public final class ExtractionEvaluation {
    private ExtractionEvaluation() {
    }

    /**
     * @param micro        the pages' token counts summed (micro-average)
     * @param macroF1      the mean of the pages' F1
     * @param pages        pairs scored
     * @param htmlBytes    UTF-8 bytes of HTML extracted
     * @param extractNanos time spent in the filter alone
     */
    public record Result(ExtractionScore micro, double macroF1, int pages, long htmlBytes, long extractNanos) {
        public double extractMbPerSecond() {
            return extractNanos == 0 ? 0 : htmlBytes / 1e6 / (extractNanos / 1e9);
        }
    }

    public static Result run(Path htmlDir, Path rstDir, HtmlExtractFilter filter) {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(rstDir)) {
            sources = files.filter(p -> p.getFileName().toString().endsWith(".rst.txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + rstDir, e);
        }
        ExtractionScore micro = ExtractionScore.zero();
        double f1Sum = 0;
        int pages = 0;
        long bytes = 0;
        long nanos = 0;
        for (Path source : sources) {
            String rel = rstDir.relativize(source).toString();
            Path html = htmlDir.resolve(rel.substring(0, rel.length() - ".rst.txt".length()) + ".html");
            if (!Files.isRegularFile(html)) {
                continue;
            }
            try {
                String page = Files.readString(html);
                Document d = new Document(rel, page, "extraction-evaluation", DocumentKind.WEB, html.toString(),
                        Map.of("content_type", "text/html"));
                long start = System.nanoTime();
                Verdict v = filter.apply(d);
                nanos += System.nanoTime() - start;
                String text = v instanceof Verdict.Keep k ? k.document().text() : "";
                ExtractionScore score = ExtractionScore.of(text, RestPlainText.of(Files.readString(source)));
                micro = micro.plus(score);
                f1Sum += score.f1();
                pages++;
                bytes += Files.size(html);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + html + " or " + source, e);
            }
        }
        return new Result(micro, pages == 0 ? 0 : f1Sum / pages, pages, bytes, nanos);
    }
}
