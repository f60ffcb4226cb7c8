package org.millrace.bench;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.ops.broker.TopicBootstrap;
import org.millrace.ops.broker.TopicSpec;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.DocumentSink;
import org.millrace.producers.Ingest;
import org.millrace.producers.IngestListener;
import org.millrace.producers.IngestStats;
import org.millrace.producers.corpus.CorpusFetcher;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.corpus.FetchListener;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;

/**
 * Ingestion of the fetched corpus (every training source) through the readers and the
 * {@link DocumentPublisher} into the broker, as {@code millrace ingest --corpus} does it: text MB/s,
 * documents/s, and the ratio to raw 1 KB-record produce throughput of the same run (goal ≥ 0.8). The
 * corpus is fetched first when it is missing. Warm-up passes over the whole corpus run first (JIT,
 * page cache, a warm broker), into the same throwaway topics. Process CPU time per MB
 * ({@code ingest.cpu_ms_per_mb}) is reported too, and printed by kind of thread ({@link CpuBudget}):
 * on a machine shared with other work, wall-clock figures follow the neighbours' load, CPU time per
 * MB much less. Raw produce counts record bytes, so the like-for-like figures
 * {@code ingest.record_mb_per_s} and {@code ingest.record_vs_raw_produce} count the JSON records';
 * {@code ingest.cpu_vs_raw_produce} is raw produce's CPU time per MB over ingestion's, the ratio the two
 * throughputs have when both are bound by CPU on the same cores, as they are on two.
 */
public final class IngestSuite implements BenchSuite {
    static final double GOAL_VS_RAW_PRODUCE = 0.8;
    /**
     * Warm-up passes over the whole corpus (JIT, page cache, a warm broker) go on until the process is
     * steady: until two consecutive passes spend CPU time per MB within {@link #STEADY_WITHIN} of each
     * other, or the JIT's compiler threads at most {@link #STEADY_JIT_SHARE} of a pass; at least
     * {@link #MIN_WARM_UP_PASSES}, at most {@link #MAX_WARM_UP_PASSES}. CPU time decides, not wall-clock
     * time, which follows the neighbours' load on a shared machine. On two cores the compiler threads
     * never get that quiet in a bench of sensible length (a fifth of the CPU after twenty passes, see
     * docs/producers.md), so the first rule is the one that ends the warm-up; each pass's budget is printed.
     */
    static final int MIN_WARM_UP_PASSES = 2;
    static final int MAX_WARM_UP_PASSES = 6;
    static final double STEADY_WITHIN = 0.05;
    static final double STEADY_JIT_SHARE = 0.05;

    @Override
    public String prefix() {
        return "ingest";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        Config config = ctx.settings();
        Path corpus = corpus(ctx, config);
        Topics topics = new Topics("millrace-bench-ingest-" + UUID.randomUUID().toString().substring(0, 8), List.of("web"));
        int partitions = Settings.positiveInt(config, "millrace.topics.doc-partitions");
        Map<String, String> large = Map.of("max.message.bytes", Integer.toString(64 * 1024 * 1024));
        try (Admin admin = Admin.create(ctx.kafka())) {
            TopicBootstrap.ensure(admin, List.of(new TopicSpec(topics.docsWeb(), partitions, large),
                    new TopicSpec(topics.docsSynthetic(), partitions, large)));
        }
        ReaderOptions options = ReaderOptions.fromConfig(config);
        IngestStats stats;
        CpuBudget budget;
        double recordMb;
        try (DocumentPublisher publisher = new DocumentPublisher(ctx.kafka(), topics)) {
            DocumentSink sink = DocumentSink.of(publisher);
            double previous = Double.NaN;
            for (int pass = 1; pass <= MAX_WARM_UP_PASSES; pass++) {
                CpuBudget.Snapshot before = CpuBudget.snapshot();
                IngestStats warm = Ingest.fromConfig(config, IngestListener.NONE).run(Readers.forCorpus(corpus, options), sink);
                CpuBudget cpu = CpuBudget.between(before, CpuBudget.snapshot(), warm.bytes() / 1e6,
                        Map.of(CpuBudget.Group.READING, warm.readingCpu().toNanos()));
                ctx.progress().accept("warm-up " + pass + ": " + warm + "; " + cpu);
                double total = cpu.totalMsPerMb();
                boolean agrees = Math.abs(total - previous) <= STEADY_WITHIN * previous;
                if (pass >= MIN_WARM_UP_PASSES && (agrees || cpu.msPerMb(CpuBudget.Group.JIT) <= STEADY_JIT_SHARE * total)) {
                    break;
                }
                previous = total;
            }
            IngestListener progress = new IngestListener() {
                @Override
                public void progress(IngestStats soFar) {
                    ctx.progress().accept(soFar.toString());
                }
            };
            long jsonBefore = publisher.bytes();
            CpuBudget.Snapshot before = CpuBudget.snapshot();
            stats = Ingest.fromConfig(config.withValue(Ingest.PROGRESS_INTERVAL,
                    com.typesafe.config.ConfigValueFactory.fromAnyRef("5 seconds")), progress)
                    .run(Readers.forCorpus(corpus, options), sink);
            // the reading threads end with the pass: they report their own CPU time
            budget = CpuBudget.between(before, CpuBudget.snapshot(), stats.bytes() / 1e6,
                    Map.of(CpuBudget.Group.READING, stats.readingCpu().toNanos()));
            recordMb = (publisher.bytes() - jsonBefore) / 1e6;
            ctx.progress().accept(String.format(Locale.ROOT, "corpus: %s; %.1f MB of JSON records", stats, recordMb));
            ctx.progress().accept("per MB of text, " + budget);
        } finally {
            try (Admin admin = Admin.create(ctx.kafka())) {
                admin.deleteTopics(List.of(topics.docsWeb(), topics.docsSynthetic())).all().get();
            }
        }
        List<Figure> rawFigures = ctx.figure("kafka.produce.mb_per_s").isPresent() ? ctx.soFar() : rawProduce(ctx);
        double raw = value(rawFigures, "kafka.produce.mb_per_s");
        double ratio = stats.megabytesPerSecond() / raw;
        // Raw produce counts the bytes of its records' values; the like figure of ingestion is its JSON records'.
        double recordMbPerS = recordMb / (stats.elapsed().toNanos() / 1e9);
        // Both are bound by CPU on two cores, so their throughputs compare as their CPU costs per MB do,
        // whatever the neighbours' load (which moves either figure by 2-3x from run to run).
        double cpuRatio = value(rawFigures, "kafka.produce.cpu_ms_per_mb") / budget.totalMsPerMb();
        ctx.progress().accept(String.format(Locale.ROOT, "ingest %.1f MB/s of text (%.1f MB/s of records) ÷ raw produce %.1f MB/s = %.2f (%.2f);"
                + " raw produce's CPU per MB ÷ ingestion's = %.2f", stats.megabytesPerSecond(), recordMbPerS, raw, ratio, recordMbPerS / raw, cpuRatio));
        return List.of(new Figure("ingest.mb_per_s", stats.megabytesPerSecond(), "MB/s", null, true),
                new Figure("ingest.docs_per_s", stats.documentsPerSecond(), "docs/s", null, true),
                new Figure("ingest.vs_raw_produce", ratio, "ratio", GOAL_VS_RAW_PRODUCE, true),
                new Figure("ingest.record_mb_per_s", recordMbPerS, "MB/s", null, true),
                new Figure("ingest.record_vs_raw_produce", recordMbPerS / raw, "ratio", null, true),
                new Figure("ingest.cpu_vs_raw_produce", cpuRatio, "ratio", null, true),
                new Figure("ingest.cpu_ms_per_mb", budget.totalMsPerMb(), "ms/MB", null, false),
                new Figure("ingest.reading_cpu_ms_per_mb", budget.msPerMb(CpuBudget.Group.READING), "ms/MB", null, false));
    }

    /** The corpus directory, fetched first when it has no manifest. */
    private static Path corpus(BenchContext ctx, Config config) {
        CorpusSettings settings = CorpusSettings.fromConfig(config);
        Path dir = settings.corpusDir();
        if (!Files.exists(dir.resolve(CorpusManifest.FILE_NAME))) {
            ctx.progress().accept("no corpus under " + dir + ": fetching it first (once)");
            new CorpusFetcher(settings, new FetchListener() {
                @Override
                public void sourceFailed(String name, String reason) {
                    ctx.progress().accept(name + " not fetched: " + reason);
                }
            }).fetch();
        }
        if (CorpusManifest.load(dir).trainingSources().isEmpty()) {
            throw new IllegalStateException("the corpus under " + dir + " has no training source to ingest");
        }
        return dir;
    }

    private static List<Figure> rawProduce(BenchContext ctx) {
        try {
            return new KafkaSuite().run(ctx);
        } catch (Exception e) {
            throw new IllegalStateException("measuring raw produce throughput failed: " + e.getMessage(), e);
        }
    }

    private static double value(List<Figure> figures, String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalStateException("the kafka suite made no figure " + name)).value();
    }
}
