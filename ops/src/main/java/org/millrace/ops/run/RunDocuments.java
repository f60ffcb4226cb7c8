package org.millrace.ops.run;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.millrace.common.Document;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
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
 * when {@code millrace.run.documents = seed} or when the corpus cannot be had, saying why. The head of
 * the corpus is published before training starts, the rest in the background while it trains.
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

    private RunDocuments() {
    }

    /** Publishes what the run needs before training and starts the rest in the background. */
    public static Feed start(Config config, Path dataDir, Path seedRoot, Map<String, Object> props, Topics topics,
                             ProgressLine progress) throws Exception {
        Settings settings = Settings.fromConfig(config);
        IngestLedger ledger = IngestLedger.open(dataDir);
        if (!settings.corpus()) {
            return seedFeed(seedRoot, props, topics, ledger, progress);
        }
        CorpusSettings corpusSettings = CorpusSettings.fromConfig(config);
        Path corpusDir = corpusSettings.corpusDir().toAbsolutePath().normalize();
        String why = ensureCorpus(corpusSettings, progress);
        if (why != null) {
            progress.println("corpus: " + why + "; training on the Millrace checkout's own documents instead");
            return seedFeed(seedRoot, props, topics, ledger, progress);
        }
        CorpusManifest manifest = CorpusManifest.load(corpusDir);
        DocumentPublisher publisher = new DocumentPublisher(props, topics);
        try {
            publishSynthetic(settings, corpusDir, publisher, ledger, progress);
            CorpusFeed feed = new CorpusFeed(corpusDir, manifest, ReaderOptions.fromConfig(config), publisher, ledger,
                    settings.heldOutEvery(), progress);
            List<String> heldOut = feed.foreground(settings.foregroundPerSource(), settings.heldOutBytes());
            if (heldOut.isEmpty()) {
                throw new IllegalStateException("the corpus under " + corpusDir + " gave no held-out document");
            }
            if (!feed.complete()) {
                feed.background();
            }
            java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
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
                        feed.close();
                        publisher.close();
                    }
                }
            };
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    /** Fetches the corpus when it has no manifest yet; null when it has training sources, else why not. */
    static String ensureCorpus(CorpusSettings settings, ProgressLine progress) {
        Path dir = settings.corpusDir();
        try {
            if (!Files.exists(dir.resolve(CorpusManifest.FILE_NAME))) {
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

    private static void publishSynthetic(Settings settings, Path corpusDir, DocumentPublisher publisher, IngestLedger ledger,
                                         ProgressLine progress) {
        if (settings.syntheticDocuments() == 0) {
            return;
        }
        String key = ProgrammaticSynth.SOURCE + ":" + settings.synthSeed() + ":" + settings.syntheticDocuments();
        if (ledger.contains(key)) {
            return;
        }
        long t0 = System.nanoTime();
        ProgrammaticSynth synth = new ProgrammaticSynth(settings.synthSeed(), WordNetGlosses.fromCorpus(corpusDir));
        synth.documents(0, settings.syntheticDocuments()).forEach(publisher::publish);
        publisher.flush();
        ledger.record(key, settings.syntheticDocuments());
        progress.println(String.format(Locale.ROOT, "synthetic: %,d programmatic documents (%s) published in %.1f s",
                settings.syntheticDocuments(), String.join(", ", synth.lessons()), (System.nanoTime() - t0) / 1e9));
    }

    private static Feed seedFeed(Path seedRoot, Map<String, Object> props, Topics topics, IngestLedger ledger,
                                 ProgressLine progress) throws Exception {
        List<Document> documents = SeedDocuments.read(seedRoot);
        List<Document> train = documents.stream().filter(d -> !SeedDocuments.heldOut(d, SEED_HELD_OUT_EVERY)).toList();
        List<String> heldOut = documents.stream().filter(d -> SeedDocuments.heldOut(d, SEED_HELD_OUT_EVERY)).map(Document::text).toList();
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
