package org.millrace.processing;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.millrace.common.Json;
import org.millrace.processing.internal.BagOfNgramsBlock;
import org.millrace.processing.internal.ClassifierExamples;
import org.millrace.processing.internal.ClassifierExamples.Example;
import org.millrace.processing.internal.ClassifierMetrics;

/**
 * Trains the fastText-style educational-value classifier with DJL: labelled seeds are stripped of
 * format, cut into chunks of words, split by source document into training and held-out examples,
 * and a {@link BagOfNgramsBlock} learns them with Adam and binary cross-entropy on the logit. The
 * model, its {@code model.json} and its held-out {@link ClassifierReport} are written as the next
 * version under the models directory.
 */
public final class EduClassifierTrainer {
    private final ClassifierSettings settings;
    private final Consumer<String> progress;

    public EduClassifierTrainer(ClassifierSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** A model written to disk, loaded for scoring, with its report. */
    public record Trained(ClassifierModels.Version version, EduClassifier classifier) {
    }

    public Trained train(List<LabelledText> seeds) {
        ClassifierSettings.Train t = settings.train();
        ClassifierExamples examples = ClassifierExamples.of(seeds, t, settings.buckets());
        if (examples.train().isEmpty() || examples.heldOut().isEmpty()
                || examples.train().stream().allMatch(Example::positive) || examples.train().stream().noneMatch(Example::positive)) {
            throw new IllegalArgumentException("the classifier needs positive and negative examples on both sides of the split;"
                    + " got " + examples.bySource() + " from " + seeds.size() + " seeds");
        }
        progress.accept(String.format("classifier: %d training and %d held-out examples (%s)", examples.train().size(),
                examples.heldOut().size(), examples.bySource()));
        long started = System.nanoTime();
        EduClassifier.ModelConfig config = new EduClassifier.ModelConfig(EduClassifier.FORMAT, settings.buckets(),
                settings.dim(), settings.maxWords());
        Path root = settings.modelsDir();
        String name = ClassifierModels.next(root);
        Path staging = root.resolve("." + name + ".tmp");
        EduClassifier classifier;
        int engineThreads = -1;
        try (Model model = Model.newInstance("edu-classifier", "PyTorch")) {
            if (t.threads() > 0) {
                // The model is small (a step touches about a million floats): a second thread gains
                // little, and on a busy machine every parallel region waits for both to be scheduled.
                engineThreads = JniUtils.getNumThreads();
                JniUtils.setNumThreads(t.threads());
            }
            Engine.getInstance().setRandomSeed((int) t.seed());
            BagOfNgramsBlock block = new BagOfNgramsBlock(settings.buckets(), settings.dim());
            model.setBlock(block);
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) t.learningRate())).build());
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(1, 1), new Shape(1, 1));
                List<Example> order = new ArrayList<>(examples.train());
                Random random = new Random(t.seed());
                for (int epoch = 1; epoch <= t.epochs(); epoch++) {
                    Collections.shuffle(order, random);
                    double lossSum = 0;
                    int steps = 0;
                    for (int from = 0; from < order.size(); from += t.batchSize()) {
                        lossSum += step(trainer, order.subList(from, Math.min(order.size(), from + t.batchSize())));
                        steps++;
                    }
                    progress.accept(String.format("classifier: epoch %d/%d · loss %.4f", epoch, t.epochs(), lossSum / steps));
                }
            }
            classifier = new EduClassifier(config, block.embedding().getArray().toFloatArray(),
                    block.weight().getArray().toFloatArray(), block.bias().getArray().toFloatArray()[0], name);
            Files.createDirectories(staging);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(staging.resolve(EduClassifier.PARAMETERS)))) {
                block.saveParameters(new DataOutputStream(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the classifier model into " + staging, e);
        } finally {
            if (engineThreads > 0) {
                JniUtils.setNumThreads(engineThreads); // as it was for whoever else uses the engine
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ClassifierMetrics metrics = ClassifierMetrics.of(examples.heldOut(), classifier::scoreFeatures, 0.5);
        ClassifierReport report = new ClassifierReport(name, metrics.precision(), metrics.recall(), metrics.f1(),
                metrics.rocAuc(), 0.5, examples.train().size(), examples.heldOut().size(), examples.heldOutGroups(),
                examples.bySource(), t.epochs(), seconds, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            Files.write(staging.resolve(EduClassifier.MODEL_JSON), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
            Files.write(staging.resolve(ClassifierModels.REPORT), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
            Path target = root.resolve(name);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            progress.accept(String.format("classifier %s: precision %.3f · recall %.3f · F1 %.3f · ROC-AUC %.3f (held out) in %.1f s → %s",
                    name, report.precision(), report.recall(), report.f1(), report.rocAuc(), seconds, target));
            return new Trained(new ClassifierModels.Version(name, target, report), classifier);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the classifier model into " + root, e);
        }
    }

    /** One Adam step on a batch; returns its mean loss. */
    private static double step(Trainer trainer, List<Example> batch) {
        int maxLen = batch.stream().mapToInt(e -> e.ids().length).max().orElse(1);
        long[] ids = new long[batch.size() * maxLen];
        float[] weights = new float[batch.size() * maxLen];
        float[] labels = new float[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            Example e = batch.get(b);
            for (int i = 0; i < e.ids().length; i++) {
                ids[b * maxLen + i] = e.ids()[i];
                weights[b * maxLen + i] = 1f / e.ids().length; // padding keeps weight 0
            }
            labels[b] = e.positive() ? 1f : 0f;
        }
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray idArray = m.create(ids, new Shape(batch.size(), maxLen));              // (B, L)
            NDArray weightArray = m.create(weights, new Shape(batch.size(), maxLen));      // (B, L)
            NDArray labelArray = m.create(labels, new Shape(batch.size(), 1));             // (B, 1)
            double loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(idArray, weightArray)).singletonOrThrow(); // (B, 1)
                NDArray l = trainer.getLoss().evaluate(new NDList(labelArray), new NDList(logits));
                loss = l.getFloat();
                gc.backward(l);
            }
            trainer.step();
            return loss;
        }
    }
}
