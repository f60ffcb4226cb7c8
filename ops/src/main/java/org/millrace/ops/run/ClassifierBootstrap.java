package org.millrace.ops.run;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.millrace.ops.classifier.ClassifierTraining;
import org.millrace.processing.ClassifierModels;
import org.millrace.processing.ClassifierSettings;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.EduClassifierFilter;

/**
 * {@code run}'s first use of the classifier: when the pipeline has the classifier filter and no
 * model is stored yet, one is trained (fetching the seed sources if the corpus lacks them); after
 * that the stored model is reused.
 */
final class ClassifierBootstrap {
    private ClassifierBootstrap() {
    }

    /** The model the run uses, or null when the pipeline has no classifier. */
    static RunSummary.Classifier ensure(Config config, CurationSettings curation, Path dataDir, ProgressLine progress) {
        if (!curation.pipeline().contains(EduClassifierFilter.NAME)) {
            return null;
        }
        ClassifierSettings settings = curation.classifier();
        Optional<ClassifierModels.Version> stored = ClassifierModels.find(settings.modelsDir(), settings.version());
        ClassifierModels.Version version;
        if (stored.isPresent()) {
            version = stored.get();
            progress.println(String.format(Locale.ROOT, "classifier %s (held-out F1 %.3f) reused from %s", version.name(),
                    version.report().f1(), version.dir()));
        } else if (!settings.version().equals("latest")) {
            throw new IllegalStateException("millrace.classifier.version = " + settings.version() + " is not in "
                    + settings.modelsDir());
        } else {
            progress.println("no classifier model in " + settings.modelsDir() + ": training one (first use)");
            PrintStream out = new PrintStream(new LineSink(progress), true);
            version = ClassifierTraining.train(config, dataDir, null, out, progress::println).version();
        }
        return new RunSummary.Classifier(version.dir().toString(), version.report().f1());
    }

    /** Sends printed lines to the progress line. */
    private static final class LineSink extends java.io.OutputStream {
        private final ProgressLine progress;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LineSink(ProgressLine progress) {
            this.progress = progress;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                progress.println(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
