package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.EvalTaskDefinition;
import org.millrace.evaluation.EvalSetBuilder;
import org.millrace.evaluation.sets.EvalSetSettings;
import org.millrace.producers.corpus.CorpusSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace eval sets}: builds the evaluation sets from the fetched corpus. */
@Command(name = "sets", mixinStandardHelpOptions = true,
        description = {"Build the evaluation sets (seeded, versioned) from the fetched corpus into the registry",
                "(millrace.eval.sets-dir, default <data-dir>/eval), with the held-out documents training must skip."})
public final class EvalSetsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--corpus", paramLabel = "DIR", description = "The fetched corpus (default: millrace.corpus.dir, else <data-dir>/corpus).")
    Path corpus;

    @Override
    public Integer call() {
        Config config = options.settings();
        Path corpusDir = corpus != null ? corpus : CorpusSettings.fromConfig(config).corpusDir();
        Path out = EvalSetRegistry.directory(config);
        long t0 = System.nanoTime();
        EvalSetBuilder.Built built = new EvalSetBuilder(EvalSetSettings.fromConfig(config), System.out::println).build(corpusDir, out);
        System.out.printf(Locale.ROOT, "%-16s %-16s %6s  %s%n", "task", "type", "items", "sources");
        for (EvalTaskDefinition t : built.manifest().tasks()) {
            System.out.printf(Locale.ROOT, "%-16s %-16s %6d  %s%n", t.name(), t.type().wireName(), t.items(), String.join(", ", t.sources()));
        }
        System.out.printf(Locale.ROOT, "%d documents held out of training (%s); allow-list of %d 13-grams; of %,d training documents, "
                        + "%,d share a 13-gram with the sets, %,d outside the allow-list; built in %.1f s into %s%n",
                built.heldOutDocuments(), EvalSetRegistry.HELD_OUT_FILE, built.allowListPhrases(), built.trainingDocumentsScanned(),
                built.trainingDocumentsSharing(), built.trainingDocumentsSharingAfterAllowList(), (System.nanoTime() - t0) / 1e9, out);
        return 0;
    }
}
