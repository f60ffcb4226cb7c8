package org.millrace.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.processing.filters.ExtractionEvaluation;
import org.millrace.processing.filters.HtmlExtractFilter;
import org.millrace.producers.corpus.CorpusSettings;

/**
 * HTML extraction quality on the fetched corpus: every page of the Python manual that has its reST
 * source (python-doc-html against python-doc-rst) is extracted and scored by token precision,
 * recall and F1 (goal F1 ≥ 0.90). Measures nothing, with a notice, when those sources are not fetched.
 */
public final class ExtractionSuite implements BenchSuite {
    static final double F1_GOAL = 0.90;

    @Override
    public String prefix() {
        return "curation.extraction";
    }

    @Override
    public int order() {
        return 150;
    }

    @Override
    public List<Figure> run(BenchContext ctx) {
        Path corpus = CorpusSettings.fromConfig(ctx.settings()).corpusDir();
        Path html = corpus.resolve("python-doc-html");
        Path rst = corpus.resolve("python-doc-rst");
        if (!Files.isDirectory(html) || !Files.isDirectory(rst)) {
            ctx.progress().accept("skipped: " + html + " and " + rst + " are not both there (millrace corpus fetch)");
            return List.of();
        }
        ExtractionEvaluation.Result r = ExtractionEvaluation.run(html, rst, HtmlExtractFilter.fromConfig(ctx.settings()));
        ctx.progress().accept(String.format("%d pages: precision %.4f, recall %.4f, F1 %.4f (mean over pages %.4f); "
                        + "extraction %.1f MB/s on one thread", r.pages(), r.micro().precision(), r.micro().recall(),
                r.micro().f1(), r.macroF1(), r.extractMbPerSecond()));
        return List.of(
                new Figure("curation.extraction_f1", r.micro().f1(), "F1", F1_GOAL, true),
                new Figure("curation.extraction_precision", r.micro().precision(), "ratio", null, true),
                new Figure("curation.extraction_recall", r.micro().recall(), "ratio", null, true),
                new Figure("curation.extraction_f1_mean_over_pages", r.macroF1(), "F1", null, true),
                new Figure("curation.extraction_mb_per_s", r.extractMbPerSecond(), "MB/s", null, true));
    }
}
