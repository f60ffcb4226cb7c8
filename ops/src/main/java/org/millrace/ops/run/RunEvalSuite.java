package org.millrace.ops.run;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.millrace.common.Tokenizer;
import org.millrace.common.evalsets.EvalSetManifest;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.evaluation.EvalSetBuilder;
import org.millrace.evaluation.EvalSettings;
import org.millrace.evaluation.EvalSuite;
import org.millrace.evaluation.scoring.BitsPerByteBenchmark;
import org.millrace.evaluation.sets.EvalSetSettings;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusSettings;

/**
 * The evaluation suite of a run: the tasks of the evaluation-set registry (built from the corpus on
 * first use when a corpus is at hand and {@code millrace.eval.build-sets-on-run} is on) plus the held-out
 * share of the run's own documents.
 */
final class RunEvalSuite {
    private RunEvalSuite() {
    }

    /**
     * Builds the evaluation sets from the corpus when none are built yet, a corpus is at hand and
     * {@code millrace.eval.build-sets-on-run} is on: before anything is published, since the sets decide
     * which corpus documents never reach training. A corpus the sets cannot be made of is reported, and
     * the run goes on with the held-out share of its own documents.
     */
    static void ensureSets(Config config, ProgressLine progress) {
        EvalSettings settings = EvalSettings.fromConfig(config);
        Path setsDir = EvalSetRegistry.directory(config);
        Path corpus = CorpusSettings.fromConfig(config).corpusDir();
        if (settings.buildSetsOnRun() && !Files.exists(setsDir.resolve(EvalSetManifest.FILE_NAME))
                && Files.exists(corpus.resolve(CorpusManifest.FILE_NAME))) {
            progress.println("building the evaluation sets from " + corpus + " (first use)");
            try {
                EvalSetBuilder.Built built = new EvalSetBuilder(EvalSetSettings.fromConfig(config), progress::println).build(corpus, setsDir);
                progress.println(built.manifest().tasks().size() + " evaluation tasks in " + setsDir + "; " + built.heldOutDocuments()
                        + " corpus documents held out of training");
            } catch (RuntimeException e) {
                progress.println("evaluation sets not built: " + e.getMessage());
            }
        }
    }

    static EvalSuite build(Config config, Tokenizer tokenizer, String heldOutName, List<String> heldOutTexts) {
        EvalSettings settings = EvalSettings.fromConfig(config);
        EvalSetRegistry registry = EvalSetRegistry.open(config);
        EvalSuite suite = registry.tasks().isEmpty() ? new EvalSuite(List.of(), tokenizer, settings)
                : EvalSuite.fromRegistry(registry, settings, tokenizer);
        return suite.with(BitsPerByteBenchmark.of(heldOutName, heldOutTexts, tokenizer, settings.bpbMaxBytes()));
    }
}
