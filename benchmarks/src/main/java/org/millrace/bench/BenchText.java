package org.millrace.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.ops.run.SeedDocuments;
import org.millrace.ops.tokenizer.TextSample;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.readers.DocumentReader;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipListener;

/**
 * Real text for text benchmarks: the training sources of the fetched corpus when the data directory
 * has one, else the Millrace checkout's own Markdown and Java sources (always at hand).
 */
public final class BenchText {
    private BenchText() {
    }

    /**
     * @param description receives what the text is
     */
    public static TextSample load(Path dataDir, long maxBytes, java.util.function.Consumer<String> description) {
        Path corpus = dataDir.resolve("corpus");
        if (Files.isRegularFile(corpus.resolve(CorpusManifest.FILE_NAME))) {
            int sources = CorpusManifest.load(corpus).trainingSources().size();
            DocumentReader reader = Readers.forCorpus(corpus, ReaderOptions.defaults());
            try (Stream<Document> docs = reader.documents(SkipListener.IGNORE)) {
                TextSample sample = TextSample.takePerSource(docs.iterator(), maxBytes, sources);
                description.accept(String.format("%d documents, %.1f MB of %s", sample.documents(), sample.bytes() / 1e6,
                        reader.describe()));
                return sample;
            }
        }
        Path home = Path.of(System.getProperty("millrace.home", ".")).toAbsolutePath().normalize();
        List<Document> docs = SeedDocuments.read(home);
        TextSample sample = TextSample.take(docs.stream().map(Document::text).iterator(), maxBytes);
        description.accept(String.format("%d documents, %.1f MB of the Millrace sources under %s", sample.documents(),
                sample.bytes() / 1e6, home));
        return sample;
    }
}
