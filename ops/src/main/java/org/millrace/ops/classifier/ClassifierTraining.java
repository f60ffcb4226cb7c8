package org.millrace.ops.classifier;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.millrace.processing.ClassifierSettings;
import org.millrace.processing.EduClassifierTrainer;
import org.millrace.processing.LabelledText;
import org.millrace.producers.corpus.CorpusFetcher;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.corpus.FetchListener;
import org.millrace.producers.corpus.FetchResult;
import org.millrace.producers.readers.ReaderOptions;

/**
 * Trains the classifier from a fetched corpus, fetching the seed sources it lacks first (what
 * {@code millrace classifier train} and {@code run}'s first use do).
 */
public final class ClassifierTraining {
    private ClassifierTraining() {
    }

    /**
     * @param corpusDir the corpus to take seeds from; null: {@code millrace.corpus.dir} (or
     *                  {@code <data-dir>/corpus})
     * @param dataDir   data directory (models go under it unless {@code millrace.classifier.dir} is set)
     */
    public static EduClassifierTrainer.Trained train(Config config, Path dataDir, Path corpusDir, PrintStream out,
                                                     Consumer<String> progress) {
        CorpusSettings corpus = CorpusSettings.fromConfig(config);
        Path dir = corpusDir != null ? corpusDir : corpus.corpusDir();
        ensureSeedSources(corpus, dir, out);
        ClassifierSettings settings = ClassifierSettings.fromConfig(config, dataDir);
        progress.accept("classifier: reading seeds from " + dir);
        List<LabelledText> seeds = ClassifierSeeds.read(dir, ReaderOptions.fromConfig(config));
        return new EduClassifierTrainer(settings, progress).train(seeds);
    }

    /** Fetches the seed sources that the corpus in {@code dir} does not hold yet. */
    static void ensureSeedSources(CorpusSettings corpus, Path dir, PrintStream out) {
        List<String> missing = ClassifierSeeds.SOURCES;
        if (Files.isRegularFile(dir.resolve(CorpusManifest.FILE_NAME))) {
            CorpusManifest manifest = CorpusManifest.load(dir);
            missing = ClassifierSeeds.SOURCES.stream().filter(s -> manifest.source(s).isEmpty()).toList();
        }
        if (missing.isEmpty()) {
            return;
        }
        out.println("classifier: fetching the seed sources " + missing + " into " + dir);
        CorpusSettings settings = new CorpusSettings(dir, missing, corpus.openjdkModules(), corpus.pythonDocPackage(),
                corpus.postgresqlDocPackage(), corpus.openjdkSourcePackage(), corpus.pythonStdlibDir(), corpus.npm(),
                corpus.aptGet(), corpus.dpkg(), corpus.toolTimeout(), corpus.aptUpdate());
        FetchResult result = new CorpusFetcher(settings, FetchListener.printingTo(out)).fetch();
        Map<String, String> failed = result.failed();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("the classifier's seed sources could not be fetched into " + dir + ": " + failed);
        }
    }
}
