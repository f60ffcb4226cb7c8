package org.millrace.ops.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.tokenizer.CuratedTexts;
import org.millrace.ops.tokenizer.TextSample;
import org.millrace.ops.tokenizer.TokenizerTraining;
import org.millrace.processing.tokenizer.BpeTrainer;
import org.millrace.processing.tokenizer.HfBpeTokenizer;
import org.millrace.processing.tokenizer.TokenizerSettings;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.readers.DocumentReader;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace tokenizer train}: a byte-level BPE from a sample of curated text, as a Hugging Face tokenizer.json. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a byte-level BPE tokenizer on a sample of curated text (millrace.docs.curated, read through "
                + "the broker) or of the files or corpus given, and write it as a Hugging Face tokenizer.json.")
public final class TokenizerTrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--input", paramLabel = "PATH", arity = "1..*",
            description = "Train on these files or directories (any format ingest reads) instead of the curated topic.")
    List<Path> inputs;

    @Option(names = "--corpus", paramLabel = "DIR",
            description = "Train on the training sources of a fetched corpus (an equal share of the sample from each) instead of the curated topic.")
    Path corpus;

    @Option(names = "--vocab-size", paramLabel = "N", description = "Vocabulary size, end-of-text included (default: millrace.tokenizer.vocab-size).")
    Integer vocabSize;

    @Option(names = "--sample-bytes", paramLabel = "SIZE",
            description = "Read at most this much text, e.g. 50MB (default: millrace.tokenizer.train.sample-bytes).")
    String sampleBytes;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write tokenizer.json (default: millrace.tokenizer.path).")
    Path output;

    @Option(names = "--force", description = "Replace an existing tokenizer (batches and checkpoints made with it then no longer match).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (inputs != null && corpus != null) {
            throw new IllegalArgumentException("give --input or --corpus, not both");
        }
        Config config = options.settings();
        Path dataDir = CommonOptions.dataDir(config);
        TokenizerSettings settings = TokenizerSettings.fromConfig(config, dataDir);
        int vocab = vocabSize != null ? vocabSize : settings.vocabSize();
        if (vocab < BpeTrainer.MIN_VOCAB_SIZE || vocab > BpeTrainer.MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("--vocab-size must be within [" + BpeTrainer.MIN_VOCAB_SIZE + ", "
                    + BpeTrainer.MAX_VOCAB_SIZE + "] (got " + vocab + ")");
        }
        long budget = sampleBytes != null ? parseSize(sampleBytes) : settings.sampleBytes();
        Path out = output != null ? output.toAbsolutePath().normalize() : settings.path();
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(out + " exists; give --force to replace it (a model trained on its tokens"
                    + " will then no longer match new batches) or --output for another file");
        }
        BpeTrainer trainer = settings.trainer(vocab);

        TextSample sample;
        String from;
        if (inputs != null || corpus != null) {
            DocumentReader reader = inputs != null ? Readers.forPaths(inputs, ReaderOptions.fromConfig(config))
                    : Readers.forCorpus(corpus, ReaderOptions.fromConfig(config));
            from = reader.describe();
            try (Stream<Document> docs = reader.documents(SkipListener.IGNORE)) {
                sample = corpus != null
                        ? TextSample.takePerSource(docs.iterator(), budget, CorpusManifest.load(corpusDir(corpus)).trainingSources().size())
                        : TextSample.take(docs.map(Document::text).iterator(), budget);
            }
        } else {
            Topics topics = Topics.fromConfig(config);
            from = topics.curated();
            try (KafkaConnection kafka = KafkaConnection.open(config, dataDir);
                 CuratedTexts texts = new CuratedTexts(kafka.clientProperties(), topics.curated(), Duration.ofSeconds(60))) {
                sample = TextSample.take(texts, budget);
                if (texts.skipped() > 0) {
                    System.out.println("skipped " + texts.skipped() + " records of " + from + " that are not curated documents");
                }
            }
        }
        if (sample.texts().isEmpty()) {
            throw new IllegalArgumentException("no text in " + from + " to train on"
                    + (inputs == null && corpus == null ? " (run curation first, or give --input or --corpus)" : ""));
        }
        System.out.printf("read %d documents (%.2f MB) from %s%n", sample.documents(), sample.bytes() / 1e6, from);
        BpeTrainer.Trained trained = TokenizerTraining.trainAndWrite(trainer, sample, out);
        try (HfBpeTokenizer loaded = HfBpeTokenizer.load(out)) {
            System.out.println(TokenizerTraining.describe(loaded.name(), trained, sample.documents()));
        }
        System.out.println("wrote " + out);
        return 0;
    }

    private static Path corpusDir(Path corpus) {
        Path name = corpus.getFileName();
        return name != null && name.toString().equals(CorpusManifest.FILE_NAME) ? corpus.toAbsolutePath().getParent() : corpus;
    }

    private static long parseSize(String value) {
        try {
            long v = ConfigFactory.parseMap(java.util.Map.of("size", value)).getBytes("size");
            if (v < 1) {
                throw new IllegalArgumentException("--sample-bytes must be positive (got " + value + ")");
            }
            return v;
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException("--sample-bytes " + value + " is not a size such as 50MB or 4MiB", e);
        }
    }
}
