package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.millrace.common.DocumentKind;
import org.millrace.common.Topics;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.run.ProgressLine;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.DocumentSink;
import org.millrace.producers.Ingest;
import org.millrace.producers.IngestListener;
import org.millrace.producers.IngestStats;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.readers.DocumentReader;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace ingest}: files, directories or the fetched corpus into the document topics. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Publish documents to millrace.docs.web / millrace.docs.synthetic: WARC/WET, JSONL, mail and mbox,",
                "zip/jar archives of sources, directories of HTML, Markdown, reST, text and code, or the fetched corpus.",
                "Unreadable files and bad records are reported (file, line, reason) and skipped; ingestion goes on.",
                "Exit code 0 when it ran to the end, 1 when nothing at all could be read."})
public final class IngestCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or directories to read.")
    List<Path> paths;

    @Option(names = "--corpus", description = "Read every training source of the fetched corpus (<data-dir>/corpus); evaluation sources, and documents the evaluation sets hold out, are never read.")
    boolean corpus;

    @Option(names = "--kind", paramLabel = "web|textbook|code|synthetic", converter = KindConverter.class,
            description = "Kind of every document (default: from the file extension or the record).")
    DocumentKind kind;

    @Option(names = "--source", paramLabel = "NAME", description = "Source name of every document (default: the file name, or the record's own).")
    String source;

    @Override
    public Integer call() {
        boolean hasPaths = paths != null && !paths.isEmpty();
        if (corpus == hasPaths) {
            throw new CommandLine.ParameterException(spec.commandLine(), corpus
                    ? "--corpus reads the fetched corpus: give no PATH with it" : "give PATH... or --corpus");
        }
        if (corpus && (kind != null || source != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kind and --source do not apply to --corpus (each source has its own name and role)");
        }
        if (source != null && source.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--source must not be blank");
        }
        Config config = options.settings();
        ReaderOptions readerOptions = ReaderOptions.fromConfig(config).withSource(source).withKind(kind);
        DocumentReader reader = corpus
                // corpus documents the evaluation sets hold out never reach training either
                ? Readers.excluding(Readers.forCorpus(CorpusSettings.fromConfig(config).corpusDir(), readerOptions),
                        EvalSetRegistry.open(config).heldOutIds())
                : Readers.forPaths(paths, readerOptions);
        Topics topics = Topics.fromConfig(config);
        ProgressLine progress = new ProgressLine(System.out);
        AtomicLong skipped = new AtomicLong();
        IngestListener listener = new IngestListener() {
            @Override
            public void progress(IngestStats soFar) {
                progress.update("ingesting " + soFar);
            }

            @Override
            public void skipped(SkipReport report) {
                skipped.incrementAndGet();
                progress.println("skipped " + report);
            }

            @Override
            public void finished(IngestStats total) {
                progress.println("ingested " + total);
            }
        };
        try (KafkaConnection kafka = KafkaConnection.open(config, CommonOptions.dataDir(config))) {
            kafka.ensureTopics(topics);
            progress.println("reading " + reader.describe() + " into Kafka at " + kafka.bootstrapServers());
            try (DocumentPublisher publisher = new DocumentPublisher(kafka.clientProperties(), topics)) {
                IngestStats total = Ingest.fromConfig(config, listener).run(reader, DocumentSink.of(publisher));
                return total.documents() == 0 && skipped.get() > 0 ? 1 : 0;
            }
        }
    }

    /** {@code --kind}: one of the document kinds, with an error naming the flag. */
    static final class KindConverter implements CommandLine.ITypeConverter<DocumentKind> {
        @Override
        public DocumentKind convert(String value) {
            try {
                return DocumentKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
