package org.millrace.processing;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.millrace.common.Json;
import org.millrace.processing.internal.BagOfNgramsBlock;
import org.millrace.processing.internal.HashedNgrams;

/**
 * A trained educational-value classifier: scores a text in [0, 1] (the probability that it is of
 * textbook quality). The model is trained and stored with DJL ({@link BagOfNgramsBlock}); scoring
 * runs on copies of its three arrays in plain Java, because the arithmetic of one document (the mean
 * of a few thousand 16-float rows and a dot product) costs less than one call into the native
 * engine, and it is deterministic. Immutable and thread-safe.
 */
public final class EduClassifier {
    public static final String MODEL_JSON = "model.json";
    public static final String PARAMETERS = "edu-classifier.params";
    static final int FORMAT = 1;

    /** What {@code model.json} holds: the shape the parameters were trained with. */
    public record ModelConfig(int format, int buckets, int dim, @JsonProperty("max_words") int maxWords) {
    }

    private final ModelConfig config;
    private final float[] embedding; // (buckets, dim) row-major
    private final float[] weight;    // (dim)
    private final float bias;
    private final String version;

    EduClassifier(ModelConfig config, float[] embedding, float[] weight, float bias, String version) {
        if (embedding.length != (long) config.buckets() * config.dim() || weight.length != config.dim()) {
            throw new IllegalArgumentException("parameters do not match " + config);
        }
        this.config = config;
        this.embedding = embedding;
        this.weight = weight;
        this.bias = bias;
        this.version = version;
    }

    /** Loads the model of a version directory written by {@link EduClassifierTrainer}. */
    public static EduClassifier load(Path versionDir) {
        ModelConfig config;
        try {
            config = Json.read(Files.readAllBytes(versionDir.resolve(MODEL_JSON)), ModelConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classifier model " + versionDir.resolve(MODEL_JSON), e);
        }
        if (config.format() != FORMAT) {
            throw new IllegalStateException(versionDir.resolve(MODEL_JSON) + ": format " + config.format() + " is not " + FORMAT);
        }
        BagOfNgramsBlock block = new BagOfNgramsBlock(config.buckets(), config.dim());
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
             InputStream in = new BufferedInputStream(Files.newInputStream(versionDir.resolve(PARAMETERS)))) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1));
            block.loadParameters(manager, new DataInputStream(in));
            return new EduClassifier(config, block.embedding().getArray().toFloatArray(),
                    block.weight().getArray().toFloatArray(), block.bias().getArray().toFloatArray()[0],
                    versionDir.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classifier parameters " + versionDir.resolve(PARAMETERS), e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("malformed classifier parameters in " + versionDir + ": " + e.getMessage(), e);
        }
    }

    /** The probability in [0, 1] that {@code text} is of textbook quality. */
    public double score(String text) {
        return scoreFeatures(HashedNgrams.of(text, config.buckets(), config.maxWords()));
    }

    /** The score of a bag of hashed n-gram ids; an empty bag scores the model's prior. */
    double scoreFeatures(int[] ids) {
        int dim = config.dim();
        double logit = bias;
        if (ids.length > 0) {
            double[] bag = new double[dim];
            for (int id : ids) {
                int row = id * dim;
                for (int d = 0; d < dim; d++) {
                    bag[d] += embedding[row + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                logit += bag[d] / ids.length * weight[d];
            }
        }
        return 1 / (1 + Math.exp(-logit));
    }

    public ModelConfig config() {
        return config;
    }

    /** The version directory's name ({@code v3}). */
    public String version() {
        return version;
    }
}
