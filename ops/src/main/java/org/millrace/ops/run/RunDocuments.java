package org.millrace.ops.run;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.millrace.common.Document;
import org.millrace.common.Topics;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.ops.tokenizer.TextSample;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.corpus.CorpusFetcher;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.corpus.FetchListener;
import org.millrace.producers.corpus.FetchResult;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.synth.ProgrammaticSynth;
import org.millrace.producers.synth.WordNetGlosses;

/**
 * What documents a run feeds, published once per data directory: the default corpus (fetched into
 * {@code <data-dir>/corpus} on first use; its evaluation sources never read) plus a first batch of
 * programmatic synthetic documents — or the Millrace checkout's own documents ({@link SeedDocuments})
 * when {@code millrace.run.documents = seed} or when the corpus cannot be had, saying why (the synthetic
 * documents are added to those too, unless {@code seed} was asked for). Documents the evaluation sets
 * hold out are never published. In two steps: {@link #prepare} before Kafka is up (fetch, evaluation
 * sets, and the tokenizer's sample), {@link #start} once it is: the head of the corpus is published
 * before training starts, the rest in the background while it trains, until the feed is closed.
 */
public final class RunDocuments {
    private static final int SEED_HELD_OUT_EVERY = 10;

    /**
     * {@code millrace.run} settings.
     *
     * @param corpus              true: the default corpus; false: the seed documents
     * @param syntheticDocuments  programmatic synthetic documents published on first use
     * @param synthSeed           their seed ({@code millrace.synth.seed})
     * @param foregroundPerSource documents of each corpus source published before training starts
     * @param heldOutEvery        one corpus document in this many (by id) is held out of training
     * @param heldOutBytes        held-out text evaluated, at most
     */
    public record Settings(boolean corpus, long syntheticDocuments, long synthSeed, int foregroundPerSource, int heldOutEvery,
                           long heldOutBytes) {
        public static Settings fromConfig(Config config) {
            String documents = org.millrace.common.Settings.oneOf(config, "millrace.run.documents", List.of("corpus", "seed"));
            long synthetic = config.getLong("millrace.run.synthetic-documents");
            if (synthetic < 0) {
                throw org.millrace.common.Settings.invalid(config, "millrace.run.synthetic-documents", synthetic, "must be >= 0");
            }
            long heldOutBytes = config.getBytes("millrace.run.held-out-bytes");
            if (heldOutBytes < 1024) {
                throw org.millrace.common.Settings.invalid(config, "millrace.run.held-out-bytes", heldOutBytes, "must be at least 1 KiB");
            }
            return new Settings(documents.equals("corpus"), synthetic, config.getLong("millrace.synth.seed"),
                    org.millrace.common.Settings.nonNegativeInt(config, "millrace.run.foreground-documents-per-source"),
                    org.millrace.common.Settings.intInRange(config, "millrace.run.held-out-every", 2, 1_000_000), heldOutBytes);
        }
    }

    /** What a run trains and evaluates on; closing it stops publishing in the background. */
    public interface Feed extends AutoCloseable {
        /** Name of the held-out evaluation task. */
        String heldOutTask();

        /** Held-out texts: never published for training. */
        List<String> heldOut();

        @Override
        void close();
    }

    private final Config config;
    private final Settings settings;
    private final Path dataDir;
    private final ProgressLine progress;
    /** The corpus directory and manifest; null when the run feeds the seed documents. */
    private final Path corpusDir;
    private final CorpusManifest manifest;
    private final Path seedRoot;
    /** Ids of corpus documents the evaluation sets hold out: never published for training. */
    private final Set<String> excludedIds;

    private RunDocuments(Config config, Settings settings, Path dataDir, ProgressLine progress, Path corpusDir,
                         CorpusManifest manifest, Path seedRoot) {
        this.config = config;
        this.settings = settings;
        this.dataDir = dataDir;
        this.progress = progress;
        this.corpusDir = corpusDir;
        this.manifest = manifest;
        this.seedRoot = seedRoot;
        this.excludedIds = EvalSetRegistry.open(config).heldOutIds();
    }

    /**
     * Decides what the run feeds, before Kafka is up: fetches the corpus on first use (or says why it
     * cannot be had and falls back to the seed documents), and builds the evaluation sets from it on
     * first use, so that the documents they hold out are known before anything is published.
     */
    public static RunDocuments prepare(Config config, Path dataDir, Path seedRoot, ProgressLine progress) {
        Settings settings = Settings.fromConfig(config);
        Path corpusDir = null;
        CorpusManifest manifest = null;
        if (settings.corpus()) {
            CorpusSettings corpusSettings = CorpusSettings.fromConfig(config);
            String why = ensureCorpus(corpusSettings, progress);
            if (why != null) {
                progress.println("corpus: " + why + "; training on the Millrace checkout's own documents instead");
            } else {
                corpusDir = corpusSettings.corpusDir().toAbsolutePath().normalize();
                manifest = CorpusManifest.load(corpusDir);
            }
        }
        RunEvalSuite.ensureSets(config, progress);
        return new RunDocuments(config, settings, dataDir, progress, corpusDir, manifest, seedRoot);
    }

    /** Whether the run feeds the corpus (else the seed documents). */
    public boolean fromCorpus() {
        return corpusDir != null;
    }

    /**
     * Text of the run's training documents for its tokenizer, up to {@code maxBytes}: an equal share of
     * every corpus source and of the synthetic documents (held-out documents left out), or the start of
     * the seed documents.
     */
    public TextSample tokenizerSample(long maxBytes) {
        List<Document> picked = new ArrayList<>();
        int shares;
        if (fromCorpus()) {
            try (CorpusSources sources = new CorpusSources(corpusDir, manifest, ReaderOptions.fromConfig(config), report -> { })) {
                shares = sources.size() + (synthetic() ? 1 : 0);
                for (int i = 0; i < sources.size(); i++) {
                    int source = i;
                    takeShare(() -> sources.next(source), maxBytes / shares, true, picked);
                }
            }
        } else {
            shares = synthetic() ? 2 : 1;
            takeShare(seedDocuments().train().iterator()::next, maxBytes / shares, false, picked);
        }
        if (synthetic()) {
            takeShare(synth().documents(0, settings.syntheticDocuments()).iterator()::next, maxBytes / shares, false, picked);
        }
        return TextSample.takePerSource(picked.iterator(), maxBytes, shares);
    }

    /**
     * Training documents of one source into {@code picked}, up to about {@code share} characters; of a
     * corpus source, the held-out ones left out.
     */
    private void takeShare(java.util.function.Supplier<Document> source, long share, boolean corpus, List<Document> picked) {
        long chars = 0;
        Document d;
        while (chars < share && (d = nextOrNull(source)) != null) {
            if (!corpus || !excludedIds.contains(d.id()) && !CorpusFeed.heldOut(d, settings.heldOutEvery())) {
                picked.add(d);
                chars += d.text().length();
            }
        }
    }

    private static Document nextOrNull(java.util.function.Supplier<Document> source) {
        try {
            return source.get();
        } catch (java.util.NoSuchElementException end) {
            return null;
        }
    }

    /** Whether the run adds programmatic synthetic documents (to the corpus, or to the seed documents it falls back on). */
    private boolean synthetic() {
        return settings.corpus() && settings.syntheticDocuments() > 0;
    }

    /** Publishes what the run needs before training and starts the rest in the background. */
    public Feed start(Map<String, Object> props, Topics topics) throws Exception {
        IngestLedger ledger = IngestLedger.open(dataDir);
        if (synthetic()) {
            try (DocumentPublisher publisher = new DocumentPublisher(props, topics)) {
                publishSynthetic(publisher, ledger);
            }
        }
        if (!fromCorpus()) {
            return seedFeed(props, topics, ledger);
        }
        DocumentPublisher publisher = new DocumentPublisher(props, topics);
        try {
            CorpusFeed feed = new CorpusFeed(corpusDir, manifest, ReaderOptions.fromConfig(config), excludedIds, publisher, ledger,
                    settings.heldOutEvery(), progress);
            List<String> heldOut = feed.foreground(settings.foregroundPerSource(), settings.heldOutBytes());
            if (heldOut.isEmpty()) {
                feed.close();
                throw new IllegalStateException("the corpus under " + corpusDir + " gave no held-out document (millrace.run.held-out-every = "
                        + settings.heldOutEvery() + ", foreground-documents-per-source = " + settings.foregroundPerSource() + ")");
            }
            if (!feed.complete()) {
                feed.background();
            }
            AtomicBoolean closed = new AtomicBoolean();
            return new Feed() {
                @Override
                public String heldOutTask() {
                    return "heldout_corpus";
                }

                @Override
                public List<String> heldOut() {
                    return heldOut;
                }

                @Override
                public void close() {
                    if (closed.compareAndSet(false, true)) {
                        try {
                            feed.close();
                        } finally {
                            publisher.close();
                        }
                    }
                }
            };
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    /**
     * Fetches the corpus when it has no manifest yet (or one without a training source: an earlier run
     * could not fetch it); null when it has training sources, else why not.
     */
    static String ensureCorpus(CorpusSettings settings, ProgressLine progress) {
        Path dir = settings.corpusDir();
        try {
            Path file = dir.resolve(CorpusManifest.FILE_NAME);
            if (!Files.exists(file) || CorpusManifest.load(dir).trainingSources().isEmpty()) {
                progress.println("corpus: first use of " + dir + ": fetching the default corpus (once; `millrace corpus fetch` does the same)");
                FetchResult r = new CorpusFetcher(settings, FetchListener.printingTo(new java.io.PrintStream(new LineSink(progress), true,
                        StandardCharsets.UTF_8))).fetch();
                if (!r.failed().isEmpty()) {
                    progress.println("corpus: not fetched: " + r.failed());
                }
            }
            CorpusManifest m = CorpusManifest.load(dir);
            if (m.trainingSources().isEmpty()) {
                return "no training source could be fetched into " + dir;
            }
            progress.println(String.format(Locale.ROOT, "corpus: %d training sources in %s (%.1f MB)", m.trainingSources().size(), dir,
                    m.trainingSources().stream().mapToLong(CorpusManifest.Source::bytes).sum() / 1e6));
            return null;
        } catch (RuntimeException e) {
            return "the corpus cannot be used (" + e.getMessage() + ")";
        }
    }

    private ProgrammaticSynth synth() {
        return new ProgrammaticSynth(settings.synthSeed(), corpusDir == null ? java.util.Optional.empty() : WordNetGlosses.fromCorpus(corpusDir));
    }

    private void publishSynthetic(DocumentPublisher publisher, IngestLedger ledger) {
        String key = ProgrammaticSynth.SOURCE + ":" + settings.synthSeed() + ":" + settings.syntheticDocuments();
        if (ledger.contains(key)) {
            progress.println(String.format(Locale.ROOT, "synthetic: %,d programmatic documents already published; not again",
                    settings.syntheticDocuments()));
            return;
        }
        long t0 = System.nanoTime();
        ProgrammaticSynth synth = synth();
        synth.documents(0, settings.syntheticDocuments()).forEach(publisher::publish);
        publisher.flush();
        ledger.record(key, settings.syntheticDocuments());
        progress.println(String.format(Locale.ROOT, "synthetic: %,d programmatic documents (%s) published in %.1f s",
                settings.syntheticDocuments(), String.join(", ", synth.lessons()), (System.nanoTime() - t0) / 1e9));
    }

    /** The seed documents split into training and held-out ones (1 in {@value #SEED_HELD_OUT_EVERY}, by id). */
    private record SeedSplit(List<Document> train, List<String> heldOut) {
    }

    private SeedSplit seedDocuments() {
        List<Document> documents = SeedDocuments.read(seedRoot);
        return new SeedSplit(documents.stream().filter(d -> !SeedDocuments.heldOut(d, SEED_HELD_OUT_EVERY)).toList(),
                documents.stream().filter(d -> SeedDocuments.heldOut(d, SEED_HELD_OUT_EVERY)).map(Document::text).toList());
    }

    private Feed seedFeed(Map<String, Object> props, Topics topics, IngestLedger ledger) throws Exception {
        SeedSplit seed = seedDocuments();
        List<Document> train = seed.train();
        List<String> heldOut = seed.heldOut();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        train.forEach(d -> sha.update(d.id().getBytes(StandardCharsets.UTF_8)));
        String fingerprint = SeedDocuments.SOURCE + ":" + HexFormat.of().formatHex(sha.digest(), 0, 8);
        if (ledger.contains(fingerprint)) {
            progress.println(train.size() + " documents of " + SeedDocuments.SOURCE + " already published; not again");
        } else {
            try (DocumentPublisher publisher = new DocumentPublisher(props, topics)) {
                train.forEach(publisher::publish);
                publisher.flush();
                progress.println(String.format("published %d documents (%.1f MB)", publisher.published(), publisher.bytes() / 1e6));
            }
            ledger.record(fingerprint, train.size());
        }
        return new Feed() {
            @Override
            public String heldOutTask() {
                return "heldout_" + SeedDocuments.SOURCE;
            }

            @Override
            public List<String> heldOut() {
                return heldOut;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Lines written to it go to the progress line (the fetch's listener prints lines). */
    private static final class LineSink extends java.io.OutputStream {
        private final ProgressLine progress;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LineSink(ProgressLine progress) {
            this.progress = progress;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                progress.println(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
