package org.millrace.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.ops.run.SeedDocuments;
import org.millrace.ops.tokenizer.TextSample;
import org.millrace.processing.ClassifierModels;
import org.millrace.processing.ClassifierSettings;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.Curator;
import org.millrace.processing.EduClassifierTrainer;
import org.millrace.processing.LabelledText;
import org.millrace.processing.tokenizer.BpeTrainer;
import org.millrace.processing.tokenizer.HfBpeTokenizer;
import org.millrace.processing.tokenizer.TokenizerSettings;
import org.millrace.processing.tokenizer.Tokenizers;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.readers.DocumentReader;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipListener;

/**
 * Curation throughput: raw document records (JSON, as on the document topics) through the whole
 * default chain — every filter of {@code millrace.curation.pipeline}, the tokenizer, packing and the
 * Arrow encoding of the batches — on real text (the fetched corpus, else the Millrace sources), on one
 * thread, measured by the process's CPU time so that the figure is per core whatever else the
 * machine runs (the JIT compiler and the garbage collector included: two warm-up passes first, more
 * while the JIT compiler is still busy, then the best of two). Each pass starts from empty dedup state, so dedup does its full work; a last
 * pass prints the CPU time of each stage.
 *
 * <p>The tokenizer and the classifier are the data directory's when it has them; otherwise a BPE
 * tokenizer is trained on the sample, and a stand-in classifier is trained on it with arbitrary
 * labels and a drop threshold of 0 (scoring costs the same; no document is dropped by it).
 */
public final class CurationSuite implements BenchSuite {
    private static final long SAMPLE_BYTES = 24_000_000;
    private static final int GROUP = 512;
    private static final int WARM_UP_PASSES = 2;
    /**
     * More warm-up passes, up to this many in all, while the JIT compiler still spends more than
     * {@link #JIT_QUIET} of a pass's CPU time: on two busy cores it is still compiling the chain in
     * the third pass, and that CPU is not the chain's. The methods called once per document of the
     * late stages (classifier, tokenizer: about 1,300 documents per pass) reach C2's invocation
     * thresholds only after several passes, later still when the compile queue is long (C2 scales its
     * thresholds with the queue): JFR showed {@code EduClassifierFilter.apply} and
     * {@code TextCleaner.clean} compiled by C2 in the 7th pass, the first measured one after 6 warm-ups
     * (in another run that pass took this thread 5.4 CPU-s, with 2.9 s of compiling, the next 3.8).
     */
    private static final int MAX_WARM_UP_PASSES = 10;
    private static final double JIT_QUIET = 0.1;
    private static final int PASSES = 2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    @Override
    public String prefix() {
        return "curation";
    }

    @Override
    public int order() {
        return 45;
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        Config base = ctx.settings();
        Path dataDir = Path.of(base.getString("millrace.data-dir")).toAbsolutePath().normalize();
        List<Document> docs = documents(dataDir, ctx);
        Path work = Files.createDirectories(ctx.workDir().resolve("curation"));
        Config config = ConfigFactory.empty()
                .withValue("millrace.curation.group-max-docs", ConfigValueFactory.fromAnyRef(GROUP))
                .withFallback(base);
        Tokenizer tokenizer = tokenizer(config, dataDir, docs, work, ctx);
        config = classifier(config, dataDir, docs, work, ctx);
        Topics topics = Topics.fromConfig(config);

        List<List<ConsumerRecord<String, byte[]>>> groups = new ArrayList<>();
        long rawBytes = 0;
        for (int i = 0; i < docs.size(); i += GROUP) {
            List<ConsumerRecord<String, byte[]>> group = new ArrayList<>();
            for (int j = i; j < Math.min(docs.size(), i + GROUP); j++) {
                byte[] value = DocumentCodec.encode(docs.get(j));
                rawBytes += value.length;
                group.add(new ConsumerRecord<>(topics.docsWeb(), 0, j, docs.get(j).id(), value));
            }
            groups.add(group);
        }

        double mbPerCpuSecond = 0;
        double mbPerSecond = 0;
        Map<String, Integer> outputs = new HashMap<>();
        int warmUps = 0;
        for (int pass = 1 - WARM_UP_PASSES; pass <= PASSES; pass++) { // passes up to 0 warm the JIT up
            Config passConfig = ConfigFactory.empty()
                    .withValue("millrace.curation.dedup.dir", ConfigValueFactory.fromAnyRef(work.resolve("dedup-" + System.nanoTime()).toString()))
                    .withFallback(config);
            CurationSettings settings = CurationSettings.fromConfig(passConfig, topics);
            outputs.clear();
            try (BufferAllocator allocator = new RootAllocator(); Curator curator = new Curator(settings, topics, tokenizer, allocator)) {
                long cpu = ProcessCpu.nanos();
                long threadCpu = THREADS.getCurrentThreadCpuTime();
                long jitMillis = JIT.getTotalCompilationTime();
                long gcMillis = gcMillis();
                long wall = System.nanoTime();
                for (List<ConsumerRecord<String, byte[]>> group : groups) {
                    for (ProducerRecord<String, byte[]> r : curator.curate(group)) {
                        outputs.merge(r.topic().substring(topics.prefix().length() + 1), 1, Integer::sum);
                    }
                }
                double cpuSeconds = (ProcessCpu.nanos() - cpu) / 1e9;
                double wallSeconds = (System.nanoTime() - wall) / 1e9;
                double threadSeconds = (THREADS.getCurrentThreadCpuTime() - threadCpu) / 1e9;
                long passJitMillis = JIT.getTotalCompilationTime() - jitMillis;
                long passGcMillis = gcMillis() - gcMillis;
                boolean warmUp = pass <= 0;
                if (warmUp) {
                    warmUps++;
                } else {
                    mbPerCpuSecond = Math.max(mbPerCpuSecond, rawBytes / 1e6 / cpuSeconds);
                    mbPerSecond = Math.max(mbPerSecond, rawBytes / 1e6 / wallSeconds);
                }
                // The CPU the curating thread did not spend is the JIT compiler's, the collector's and idle threads'.
                ctx.progress().accept(String.format(Locale.ROOT, "%s: %.1f MB in %.1f CPU-s (%.2f MB per CPU-second; this thread"
                                + " %.1f CPU-s, others %.1f; JIT compiling %.1f s, GC %.1f s), %.1f s wall; out: %s",
                        warmUp ? "warm-up " + warmUps : "pass " + pass, rawBytes / 1e6, cpuSeconds, rawBytes / 1e6 / cpuSeconds,
                        threadSeconds, cpuSeconds - threadSeconds, passJitMillis / 1e3, passGcMillis / 1e3, wallSeconds, outputs));
                if (pass == 0 && passJitMillis / 1e3 > JIT_QUIET * cpuSeconds) {
                    if (warmUps < MAX_WARM_UP_PASSES) {
                        pass--; // the JIT compiler is still busy: one more warm-up pass
                    } else {
                        ctx.progress().accept("the JIT compiler is still busy after " + warmUps
                                + " warm-up passes: the measured passes may include its work and code not compiled yet");
                    }
                }
            }
        }
        breakdown(config, topics, tokenizer, groups, work, ctx);
        double perCore = mbPerCpuSecond;
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("curation.mb_per_s_per_core", perCore, "MB/s", 5.0, true));
        figures.add(new Figure("curation.mb_per_s_one_thread_wall", mbPerSecond, "MB/s", null, true));
        ctx.figure("kafka.consume.mb_per_s").ifPresentOrElse(
                consume -> figures.add(new Figure("curation.vs_raw_consume", perCore / consume.value(), "x", null, true)),
                () -> ctx.progress().accept("no kafka.consume.mb_per_s in this run (--only?): curation.vs_raw_consume not measured"));
        return figures;
    }

    /**
     * Where the CPU goes: the same records once more, stage by stage on this thread (JSON decoding, each
     * filter on the documents that reach it, the tokenizer on the kept ones), by thread CPU time.
     */
    private static void breakdown(Config config, Topics topics, Tokenizer tokenizer,
                                  List<List<ConsumerRecord<String, byte[]>>> groups, Path work, BenchContext ctx) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Config c = ConfigFactory.empty().withValue("millrace.curation.dedup.dir",
                ConfigValueFactory.fromAnyRef(work.resolve("dedup-" + System.nanoTime()).toString())).withFallback(config);
        List<org.millrace.processing.DocumentFilter> filters =
                org.millrace.processing.FilterRegistry.build(CurationSettings.fromConfig(c, topics));
        Map<String, long[]> stages = new java.util.LinkedHashMap<>(); // name -> {cpu nanos, chars in}
        try {
            for (List<ConsumerRecord<String, byte[]>> group : groups) {
                for (ConsumerRecord<String, byte[]> r : group) {
                    long t = threads.getCurrentThreadCpuTime();
                    Document doc = DocumentCodec.decode(r.value());
                    t = add(stages, "json-decode", t, r.value().length, threads);
                    boolean kept = true;
                    for (org.millrace.processing.DocumentFilter f : filters) {
                        int chars = doc.text().length();
                        var v = f.apply(doc);
                        t = add(stages, f.name(), t, chars, threads);
                        if (v instanceof org.millrace.common.Verdict.Keep k) {
                            doc = k.document();
                        } else {
                            kept = false;
                            break;
                        }
                    }
                    if (kept) {
                        tokenizer.encode(doc.text());
                        add(stages, "tokenize", t, doc.text().length(), threads);
                    }
                }
            }
        } finally {
            org.millrace.processing.FilterRegistry.closeAll(filters);
        }
        StringBuilder line = new StringBuilder("CPU per stage (MB of its input per CPU-second, CPU-s):");
        stages.forEach((name, v) -> line.append(String.format(Locale.ROOT, " %s %.1f MB/s %.2f s;", name,
                v[1] / 1e6 / Math.max(1e-9, v[0] / 1e9), v[0] / 1e9)));
        ctx.progress().accept(line.toString());
    }

    private static long add(Map<String, long[]> stages, String name, long since, long chars,
                            ThreadMXBean threads) {
        long now = threads.getCurrentThreadCpuTime();
        long[] v = stages.computeIfAbsent(name, k -> new long[2]);
        v[0] += now - since;
        v[1] += chars;
        return now;
    }

    /** Time spent collecting garbage so far, all collectors (ms; pauses and concurrent cycles as the JVM counts them). */
    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** Up to SAMPLE_BYTES of documents, an even share from each training source of the corpus. */
    private static List<Document> documents(Path dataDir, BenchContext ctx) {
        Path corpus = dataDir.resolve("corpus");
        List<Document> out = new ArrayList<>();
        if (Files.isRegularFile(corpus.resolve(CorpusManifest.FILE_NAME))) {
            CorpusManifest manifest = CorpusManifest.load(corpus);
            long perSource = SAMPLE_BYTES / Math.max(1, manifest.trainingSources().size());
            Map<String, Long> taken = new HashMap<>();
            DocumentReader reader = Readers.forCorpus(corpus, ReaderOptions.defaults());
            try (Stream<Document> docs = reader.documents(SkipListener.IGNORE)) {
                docs.forEach(d -> {
                    long had = taken.getOrDefault(d.source(), 0L);
                    if (had < perSource) {
                        taken.put(d.source(), had + d.text().length());
                        out.add(d);
                    }
                });
            }
            ctx.progress().accept(String.format(Locale.ROOT, "text: %d documents, %.1f M chars of %s (%s)", out.size(),
                    out.stream().mapToLong(d -> d.text().length()).sum() / 1e6, reader.describe(), taken.keySet()));
        } else {
            Path home = Path.of(System.getProperty("millrace.home", ".")).toAbsolutePath().normalize();
            long chars = 0;
            for (Document d : SeedDocuments.read(home)) {
                if (chars >= SAMPLE_BYTES) {
                    break;
                }
                out.add(d);
                chars += d.text().length();
            }
            ctx.progress().accept(String.format(Locale.ROOT, "text: %d documents, %.1f M chars of the Millrace sources under %s"
                    + " (no fetched corpus in %s)", out.size(), chars / 1e6, home, dataDir));
        }
        return out;
    }

    private static Tokenizer tokenizer(Config config, Path dataDir, List<Document> docs, Path work, BenchContext ctx) {
        TokenizerSettings settings = TokenizerSettings.fromConfig(config, dataDir);
        if (!settings.kind().equals("bpe") || Files.isRegularFile(settings.path())) {
            Tokenizer t = Tokenizers.of(settings, config);
            ctx.progress().accept("tokenizer " + t.name() + (settings.kind().equals("bpe") ? " from " + settings.path() : ""));
            return t;
        }
        TextSample sample = TextSample.take(docs.stream().map(Document::text).iterator(), 8_000_000);
        BpeTrainer.Trained trained = settings.trainer(settings.vocabSize()).train(sample.texts());
        Path file = work.resolve("tokenizer.json");
        try {
            Files.writeString(file, trained.json());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ctx.progress().accept("tokenizer: BPE " + trained.vocabSize() + " trained on the sample (none in " + settings.path() + ")");
        return HfBpeTokenizer.load(file);
    }

    /** The settings with a classifier the pipeline can load: the data directory's, or a stand-in. */
    private static Config classifier(Config config, Path dataDir, List<Document> docs, Path work, BenchContext ctx) {
        if (!config.getStringList("millrace.curation.pipeline").contains("classifier")) {
            return config;
        }
        ClassifierSettings settings = ClassifierSettings.fromConfig(config, dataDir);
        if (ClassifierModels.find(settings.modelsDir(), settings.version()).isPresent()) {
            ctx.progress().accept("classifier from " + settings.modelsDir());
            return config;
        }
        Path dir = work.resolve("classifier");
        Config standIn = ConfigFactory.empty()
                .withValue("millrace.classifier.dir", ConfigValueFactory.fromAnyRef(dir.toString()))
                .withValue("millrace.classifier.version", ConfigValueFactory.fromAnyRef("latest"))
                .withValue("millrace.classifier.filter.drop-below", ConfigValueFactory.fromAnyRef(0.0))
                .withValue("millrace.classifier.train.epochs", ConfigValueFactory.fromAnyRef(1))
                .withFallback(config);
        List<LabelledText> seeds = new ArrayList<>();
        for (int i = 0; i < Math.min(400, docs.size()); i++) {
            seeds.add(new LabelledText(docs.get(i).text(), i % 2 == 0, "bench-" + (i % 4), "g" + i));
        }
        new EduClassifierTrainer(ClassifierSettings.fromConfig(standIn, dataDir), m -> { }).train(seeds);
        ctx.progress().accept("classifier: a stand-in trained on the sample with arbitrary labels, drop-below 0 (none in "
                + settings.modelsDir() + ")");
        return standIn;
    }
}
