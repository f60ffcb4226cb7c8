package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.millrace.ops.classifier.ClassifierTraining;
import org.millrace.processing.ClassifierReport;
import org.millrace.processing.EduClassifierTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace classifier}: the educational-value classifier. */
@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = "The educational-value classifier that scores documents and assigns curriculum buckets.",
        subcommands = {ClassifierCommand.Train.class})
public final class ClassifierCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code millrace classifier train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a new model version from labelled seeds of the corpus (seed sources it lacks are fetched first),",
                    "write it under <data-dir>/models/classifier/vN with report.json (precision, recall, F1, ROC-AUC on",
                    "held-out documents)."})
    public static final class Train implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Option(names = "--corpus", paramLabel = "DIR",
                description = "Fetched corpus to take seeds from (default: millrace.corpus.dir, else <data-dir>/corpus).")
        Path corpus;

        @Override
        public Integer call() {
            Config config = options.settings();
            EduClassifierTrainer.Trained trained = ClassifierTraining.train(config, CommonOptions.dataDir(config), corpus,
                    System.out, System.out::println);
            ClassifierReport r = trained.version().report();
            System.out.printf(java.util.Locale.ROOT, "model %s: precision %.4f, recall %.4f, F1 %.4f, ROC-AUC %.4f%n",
                    trained.version().dir(), r.precision(), r.recall(), r.f1(), r.rocAuc());
            return 0;
        }
    }
}
