package org.millrace.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.TokenBatch;
import org.millrace.common.TokenBatchCodec;
import org.millrace.common.Topics;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.training.MatmulPeak;
import org.millrace.training.TrainerIo;
import org.millrace.training.TrainerSettings;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.curriculum.CurriculumSettings;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.feed.InMemoryBatches;
import org.millrace.training.model.ComputeSettings;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.optim.OptimizerSettings;

/**
 * Training throughput of the real training loop (curriculum, masked loss, AdamW, checkpoint bookkeeping) on
 * d=128, 4 layers, 4 heads, seq 256, batch 8, byte vocabulary: fed from Kafka, and fed from the same batches
 * held in memory; the Kafka feed's cost is their ratio and the share of step time spent waiting. Each feed
 * runs three times, alternating, and the best run counts (the machine is shared). MFU is against
 * {@code djl.matmul.gflops} of the same bench run, and the same model in PyTorch eager is the reference.
 */
public final class TrainSuite implements BenchSuite {
    static final GptConfig MODEL = new GptConfig(ByteTokenizer.END_OF_TEXT + 1, 256, 128, 4, 4, 0.0, true);
    static final int ROWS = 8;
    static final int WARMUP = 5;
    static final int STEPS = 30;
    static final int ROUNDS = 3;
    private static final String BUCKET = "bench";

    @Override
    public String prefix() {
        return "train";
    }

    @Override
    public int order() {
        return 30; // after djl: MFU needs djl.matmul.gflops of this run
    }

    /** Throughput of one run over its measured steps. */
    record Measured(double tokensPerSecond, double waitFraction) {
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        Topics topics = new Topics("millrace.bench.train-" + UUID.randomUUID().toString().substring(0, 8), List.of(BUCKET));
        List<TokenBatch> batches = batches(WARMUP + STEPS + 5);
        try (Admin admin = Admin.create(ctx.kafka())) {
            admin.createTopics(List.of(new NewTopic(topics.batches(BUCKET), 1, (short) 1),
                    new NewTopic(topics.trainEvents(), 1, (short) 1))).all().get();
        }
        try {
            publish(ctx.kafka(), topics.batches(BUCKET), batches);
            Measured memory = null;
            Measured kafka = null;
            for (int round = 0; round < ROUNDS; round++) {
                // Each order in turn: whatever runs first after the other may share the machine with its wind-down.
                boolean memoryFirst = round % 2 == 0;
                Measured m = null;
                Measured k = null;
                for (int i = 0; i < 2; i++) {
                    if (memoryFirst == (i == 0)) {
                        m = train(ctx, topics, threads, "memory",
                                TrainerIo.offline(start -> new InMemoryBatches(Map.of(BUCKET, batches), start)));
                    } else {
                        k = train(ctx, topics, threads, "kafka", TrainerIo.kafka(ctx.kafka(), topics, settings("kafka")));
                    }
                }
                ctx.progress().accept(String.format(Locale.ROOT, "round %d: memory %.0f tok/s, Kafka %.0f tok/s (data wait %.2f%%)",
                        round + 1, m.tokensPerSecond(), k.tokensPerSecond(), 100 * k.waitFraction()));
                memory = memory == null || m.tokensPerSecond() > memory.tokensPerSecond() ? m : memory;
                kafka = kafka == null || k.tokensPerSecond() > kafka.tokensPerSecond() ? k : kafka;
            }
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure("train.tokens_per_s", kafka.tokensPerSecond(), "tokens/s", null, true));
            figures.add(new Figure("train.feed_vs_memory", kafka.tokensPerSecond() / memory.tokensPerSecond(), "ratio", 0.97, true));
            figures.add(new Figure("train.data_wait_fraction", kafka.waitFraction(), "fraction", 0.01, false));
            double peak = ctx.figure(MatmulPeak.FIGURE).map(Figure::value).orElseGet(() -> {
                MatmulPeak measured = MatmulPeak.measure();
                ctx.progress().accept("no " + MatmulPeak.FIGURE + " in this run (--only?): MFU against " + measured.source());
                return measured.gflops();
            });
            figures.add(new Figure("train.mfu", new MatmulPeak(peak, "bench").mfu(MODEL.parameterCount(), kafka.tokensPerSecond()),
                    "fraction", null, true));
            double djl = memory.tokensPerSecond(); // both sides train on batches held in memory
            PyTorchReference.run(ctx, MODEL, ROWS, threads, WARMUP, STEPS).ifPresent(torch -> {
                ctx.progress().accept(String.format(Locale.ROOT, "PyTorch %s eager: %.0f tok/s; DJL from memory: %.0f tok/s",
                        torch.version(), torch.tokensPerSecond(), djl));
                figures.add(new Figure("train.vs_pytorch", djl / torch.tokensPerSecond(), "ratio", 0.9, true));
            });
            return figures;
        } finally {
            try (Admin admin = Admin.create(ctx.kafka())) {
                admin.deleteTopics(List.of(topics.batches(BUCKET), topics.trainEvents())).all().get();
            }
        }
    }

    private static TrainerSettings settings(String label) {
        CurriculumSettings curriculum = new CurriculumSettings(CurriculumSettings.UNIFORM,
                CurriculumSettings.uniform(List.of(BUCKET), DryPolicy.WAIT).phases(), DryPolicy.WAIT, false);
        return new TrainerSettings("bench-" + label, WARMUP + STEPS, Integer.MAX_VALUE, 1, Integer.MAX_VALUE, 8,
                Duration.ofSeconds(2), 1337, curriculum, null);
    }

    private Measured train(BenchContext ctx, Topics topics, int threads, String label, TrainerIo io) {
        List<long[]> marks = new ArrayList<>(); // end of step: nanos, tokens, wait nanos
        TrainerSettings settings = settings(label).withRun("bench-" + label + "-" + UUID.randomUUID().toString().substring(0, 8));
        Path checkpoints = ctx.workDir().resolve("train-checkpoints");
        try (GptTrainer trainer = GptTrainer.create(MODEL, OptimizerSettings.constant(6e-4), new ComputeSettings("cpu", threads, 1337))) {
            long[] tokens = {0};
            new TrainingLoop(settings, trainer, ByteTokenizer.NAME, topics, io, checkpoints, new TrainingLoop.Listener() {
                @Override
                public void onStep(TrainingLoop.StepReport r) {
                    long delta = r.tokens() - tokens[0];
                    tokens[0] = r.tokens();
                    marks.add(new long[] {System.nanoTime(), delta, Math.round(r.waitSeconds() * 1e9)});
                }

                @Override
                public void onCheckpoint(Path checkpoint, CheckpointManifest manifest) {
                }
            }).run();
        }
        if (marks.size() < WARMUP + STEPS) {
            throw new IllegalStateException(label + "-fed training stopped after " + marks.size() + " steps");
        }
        long start = marks.get(WARMUP - 1)[0];
        long end = marks.get(marks.size() - 1)[0];
        long tokens = 0;
        long wait = 0;
        for (long[] m : marks.subList(WARMUP, marks.size())) {
            tokens += m[1];
            wait += m[2];
        }
        return new Measured(tokens * 1e9 / (end - start), (double) wait / (end - start));
    }

    /** Full rows of random bytes: the compute does not depend on the values. */
    private static List<TokenBatch> batches(int n) {
        Random random = new Random(42);
        List<TokenBatch> out = new ArrayList<>();
        int len = MODEL.contextLength() + 1;
        for (int b = 0; b < n; b++) {
            int[] tokens = new int[ROWS * len];
            List<TokenBatch.RowSpans> rows = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < len; c++) {
                    tokens[r * len + c] = random.nextInt(256);
                }
                rows.add(new TokenBatch.RowSpans(len, List.of("bench-" + b + "-" + r), new int[] {0}, List.of("bench")));
            }
            out.add(new TokenBatch("bench-" + b, BUCKET, ByteTokenizer.NAME, MODEL.contextLength(), tokens, rows));
        }
        return out;
    }

    private static void publish(Map<String, Object> kafka, String topic, List<TokenBatch> batches) {
        Map<String, Object> props = new HashMap<>(kafka);
        try (BufferAllocator allocator = new RootAllocator();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (TokenBatch b : batches) {
                producer.send(new ProducerRecord<>(topic, b.batchId(), TokenBatchCodec.encode(b, allocator)));
            }
            producer.flush();
        }
    }
}
