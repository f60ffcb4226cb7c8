package org.millrace.processing;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.millrace.common.Settings;

/**
 * The {@code millrace.classifier} block: the educational-value model, its training and its filter.
 *
 * @param modelsDir     versions live in {@code modelsDir/vN}
 * @param version       version the filter loads: {@code latest} or {@code vN}
 * @param buckets       hashed n-gram buckets (embedding rows)
 * @param dim           embedding width
 * @param maxWords      words read from a document's start when scoring
 * @param train         training settings
 * @param textbookAt    score from which a web document goes to the textbook bucket
 * @param dropBelow     documents scoring below this are rejected ({@code low_edu_score})
 */
public record ClassifierSettings(Path modelsDir, String version, int buckets, int dim, int maxWords, Train train,
                                 double textbookAt, double dropBelow) {

    /**
     * @param chunkWords           words per training example (documents are cut into chunks)
     * @param maxChunksPerDocument chunks taken from one document at most
     * @param maxExamplesPerSource examples taken from one source at most
     * @param heldOutFraction      share of source documents held out for the report
     * @param epochs               passes over the training examples
     * @param batchSize            examples per optimizer step
     * @param learningRate         Adam's learning rate
     * @param seed                 seed of sampling, split, initialisation and shuffling
     * @param threads              PyTorch intra-op threads while training (0: leave the engine's setting)
     */
    public record Train(int chunkWords, int maxChunksPerDocument, int maxExamplesPerSource, double heldOutFraction,
                        int epochs, int batchSize, double learningRate, long seed, int threads) {
    }

    public static ClassifierSettings fromConfig(Config c, Path dataDir) {
        String p = "millrace.classifier.";
        String dir = c.getString(p + "dir");
        String version = c.getString(p + "version");
        if (!version.equals("latest") && !version.matches("v[1-9][0-9]*")) {
            throw Settings.invalid(c, p + "version", "\"" + version + "\"", "must be \"latest\" or v<N> (v1, v2 ...)");
        }
        String t = p + "train.";
        Train train = new Train(Settings.intInRange(c, t + "chunk-words", 2, 1 << 16),
                Settings.positiveInt(c, t + "max-chunks-per-document"), Settings.positiveInt(c, t + "max-examples-per-source"),
                Settings.doubleInRange(c, t + "held-out-fraction", 0.01, 0.9), Settings.intInRange(c, t + "epochs", 1, 1000),
                Settings.positiveInt(c, t + "batch-size"), Settings.positiveDouble(c, t + "learning-rate"), c.getLong(t + "seed"),
                Settings.intInRange(c, t + "threads", 0, 256));
        double textbookAt = Settings.doubleInRange(c, p + "filter.textbook-at", 0, 1);
        double dropBelow = Settings.doubleInRange(c, p + "filter.drop-below", 0, 1);
        if (dropBelow > textbookAt) {
            throw Settings.invalid(c, p + "filter.drop-below", dropBelow, "is above filter.textbook-at " + textbookAt);
        }
        return new ClassifierSettings(dir.isBlank() ? dataDir.resolve("models").resolve("classifier") : Path.of(dir),
                version, Settings.intInRange(c, p + "buckets", 16, 1 << 26), Settings.intInRange(c, p + "dim", 1, 1024),
                Settings.positiveInt(c, p + "max-words"), train, textbookAt, dropBelow);
    }
}
