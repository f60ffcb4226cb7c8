package org.millrace.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Document;
import org.millrace.common.Settings;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.model.StepResult;

/**
 * Not a test: trains the {@code small} preset for a few hundred steps on the corpus's training sources
 * (held-out documents of the registry skipped), mixing prose, documentation and code equally, and writes
 * a checkpoint that {@code millrace eval} reads. Used to measure trained against untrained bits per byte
 * (docs/evaluation.md). Arguments: corpus dir, registry dir, checkpoints dir, steps[, rows per step (16)].
 */
public final class SmallBaselineTraining {
    private static final Map<String, List<String>> DOMAINS = Map.of(
            "prose", List.of("moby-dick", "brown", "sotu"),
            "docs", List.of("python-doc-rst"),
            "code", List.of("python-stdlib", "openjdk-src"));

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        Set<String> heldOut = EvalSetRegistry.open(Path.of(args[1]), List.of()).heldOutIds();
        Path checkpoints = Path.of(args[2]);
        int steps = Integer.parseInt(args[3]);
        Config config = Settings.load(null);
        ByteTokenizer tokenizer = new ByteTokenizer();
        List<List<int[]>> domains = new ArrayList<>();
        Random random = new Random(7);
        for (String domain : List.of("prose", "docs", "code")) {
            List<int[]> docs = new ArrayList<>();
            for (String source : DOMAINS.get(domain)) {
                try (Stream<Document> s = Readers.forPath(corpus.resolve(source), ReaderOptions.defaults().withSource(source)).documents(x -> { })) {
                    s.filter(d -> !heldOut.contains(d.id())).filter(d -> random.nextDouble() < (source.equals("openjdk-src") ? 0.2 : 1.0))
                            .forEach(d -> docs.add(tokenizer.encode(d.text())));
                }
            }
            System.out.println(domain + ": " + docs.size() + " documents");
            domains.add(docs);
        }
        int rows = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        int len = 257;
        try (GptTrainer trainer = GptTrainer.fromConfig(config, tokenizer.vocabSize())) {
            long tokens = 0;
            double loss = Double.NaN;
            long t0 = System.nanoTime();
            for (int step = 1; step <= steps; step++) {
                int[] flat = new int[rows * len];
                for (int r = 0; r < rows; r++) {
                    List<int[]> docs = domains.get(r % domains.size());
                    int[] doc = docs.get(random.nextInt(docs.size()));
                    int from = doc.length > len ? random.nextInt(doc.length - len) : 0;
                    for (int k = 0; k < len; k++) {
                        flat[r * len + k] = from + k < doc.length ? doc[from + k] : tokenizer.endOfText();
                    }
                }
                try (NDManager m = trainer.manager().newSubManager()) {
                    NDArray window = m.create(flat, new Shape(rows, len)); // (B, T+1)
                    StepResult result = trainer.step(window);
                    tokens += result.tokens();
                    loss = result.loss();
                }
                if (step % 25 == 0) {
                    System.out.printf("step %d loss %.3f %.0f tok/s%n", step, loss, tokens / ((System.nanoTime() - t0) / 1e9));
                }
            }
            CheckpointStore store = new CheckpointStore(checkpoints, "baseline", 3);
            long finalTokens = tokens;
            CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.VERSION, "baseline", steps, finalTokens, 0, Map.of(),
                    tokenizer.name(), TrainingLoop.modelDescription(trainer.model().config()), 0, loss, System.currentTimeMillis());
            Path dir = store.write(manifest, tmp -> trainer.saveParameters(TrainingLoop.parametersFile(tmp)));
            System.out.println("checkpoint " + dir);
        }
    }
}
