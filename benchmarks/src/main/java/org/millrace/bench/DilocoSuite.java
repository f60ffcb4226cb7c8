package org.millrace.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Document;
import org.millrace.common.TokenBatch;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.ops.run.SeedDocuments;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.CurriculumSettings;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.diloco.DilocoCoordinator;
import org.millrace.training.diloco.DilocoSettings;
import org.millrace.training.diloco.DilocoWorker;
import org.millrace.training.diloco.InnerTrainer;
import org.millrace.training.feed.InMemoryBatches;
import org.millrace.training.model.ComputeSettings;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.optim.Autograd;
import org.millrace.training.optim.LearningRateSchedule;
import org.millrace.training.optim.OptimizerSettings;

/**
 * DiLoCo against ordinary training on the {@code tiny} preset, on the same total tokens of the project's own text
 * (byte tokens): one trainer takes STEPS steps of ROWS rows; two DiLoCo workers (coordinator and workers as actors in
 * one ActorSystem) train on disjoint halves of the same data, synchronising every H steps with the outer Nesterov step.
 * How the data is halved is {@code millrace.bench.diloco.batch}:
 * <ul>
 *   <li>{@code split} (default): the global batch is split, as data-parallel training splits it. At step s each
 *   worker takes its ROWS / WORKERS rows of the one trainer's batch s, for STEPS steps. Exchanging gradients every
 *   step would be the one trainer's step exactly (the mean of the halves' mean losses is the batch's mean loss), so
 *   the one trainer is also the per-step reference.</li>
 *   <li>{@code whole}: each worker takes whole batches (every other one), STEPS / WORKERS steps: half the sequential
 *   steps at twice the combined batch. Its per-step reference is trained separately.</li>
 * </ul>
 * Every side trains under the same inner schedule over its own step count (by default warm-up over a tenth of the
 * steps, then cosine decay to a tenth of the peak at the last step; a worker's step count runs on across rounds),
 * from the peak rates {@code millrace.bench.diloco.single-lr} (one trainer) and {@code millrace.bench.diloco.worker-lr}
 * (workers and per-step reference), 6e-3 and 4.2e-3 by default (the best measured: docs/diloco.md), and all are
 * evaluated on the same held-out documents at the same token counts.
 * Figures: final held-out loss DiLoCo / single with the outer optimizer of {@code millrace.diloco}
 * ({@code diloco.loss_ratio}, goal ≤ 1.05), the same for the other outer optimizers compared
 * ({@code diloco.loss_ratio.outer_lr<lr>_m<momentum>}), and the bytes the default's run moved against what a per-step
 * exchange of fp32 gradients (each worker sends its gradient and receives the average) would move for the same steps
 * ({@code diloco.bytes_vs_per_step}). The loss curves go to {@code diloco-loss.png}.
 */
public final class DilocoSuite implements BenchSuite {
    static final int ROWS = 8;
    static final int STEPS = Integer.getInteger("millrace.bench.diloco.steps", 1600);
    static final int H = Integer.getInteger("millrace.bench.diloco.inner-steps", 50); // as millrace.diloco.inner-steps
    static final int WORKERS = 2;
    /** {@code split}: each worker takes its share of every global batch; {@code whole}: whole batches, half the steps. */
    static final boolean SPLIT = batchMode();
    /** Rows of a worker's batch and inner steps a worker takes. */
    static final int WORKER_ROWS = SPLIT ? ROWS / WORKERS : ROWS;
    static final int WORKER_STEPS = SPLIT ? STEPS : STEPS / WORKERS;
    /** The one trainer's batches (ROWS rows each) that one DiLoCo round consumes across its workers. */
    static final int BATCHES_PER_ROUND = WORKERS * H * WORKER_ROWS / ROWS;
    /** Peak inner learning rate of the one trainer. */
    static final double SINGLE_LR = peakLearningRate("millrace.bench.diloco.single-lr", "6e-3");
    /** Peak inner learning rate of each of the WORKERS sides: every DiLoCo worker and the per-step reference. */
    static final double WORKER_LR = peakLearningRate("millrace.bench.diloco.worker-lr", "4.2e-3");
    /** Inner schedule: {@code cosine} (warm-up, then cosine decay) or {@code constant} (the peak rate throughout, the old runs). */
    static final String SCHEDULE = System.getProperty("millrace.bench.diloco.schedule", "cosine");
    /** Outer optimizers compared besides the default of {@code millrace.diloco}, "lr:momentum,...": plain averaging, paper. */
    static final String OUTERS = System.getProperty("millrace.bench.diloco.outer", "1.0:0.0,0.7:0.9");
    /** Seed of the data order and the initialisations; 0 gives the committed measurements, others repeat them. */
    static final int SEED = Integer.getInteger("millrace.bench.diloco.seed", 0);
    private static final long MODEL_SEED = 1337 + 100L * SEED;
    private static final String BUCKET = "text";
    private static final GptConfig MODEL = GptConfig.tiny(ByteTokenizer.END_OF_TEXT + 1);

    @Override
    public String prefix() {
        return "diloco";
    }

    @Override
    public int order() {
        return 40;
    }

    /** Held-out loss after a number of training tokens. */
    record Point(long tokens, double loss) {
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        Path home = Path.of(System.getProperty("millrace.home", "."));
        List<Document> docs = SeedDocuments.read(home);
        List<TokenBatch> train = new ArrayList<>(DilocoBenchData.batches(docs.stream().filter(d -> !SeedDocuments.heldOut(d, 10)).toList(), "train", BUCKET, ROWS, MODEL.contextLength()));
        Collections.shuffle(train, new Random(1 + SEED)); // one fixed order: the documents come sorted by path (docs, then code)
        // 32 held-out batches drawn across all held-out documents (not the first few files by path).
        List<TokenBatch> heldOut = new ArrayList<>(DilocoBenchData.batches(
                docs.stream().filter(d -> SeedDocuments.heldOut(d, 10)).toList(), "heldout", BUCKET, ROWS, MODEL.contextLength()));
        Collections.shuffle(heldOut, new Random(2));
        heldOut = heldOut.subList(0, Math.min(32, heldOut.size()));
        ctx.progress().accept(String.format(Locale.ROOT,
                "seed %d; %d training batches of %d x %d tokens, %d held out; one trainer %d steps; %d workers %d steps each of %d rows "
                        + "(batch %s), H = %d; inner lr: one trainer %s, each worker %s",
                SEED, train.size(), ROWS, MODEL.contextLength(), heldOut.size(), STEPS, WORKERS, WORKER_STEPS, WORKER_ROWS,
                SPLIT ? "split" : "whole", H, describe(schedule(SINGLE_LR, STEPS)), describe(schedule(WORKER_LR, WORKER_STEPS))));
        long tokensPerStep = (long) ROWS * MODEL.contextLength();

        long singleStarted = System.nanoTime();
        long singleCpu = ProcessCpu.nanos();
        List<Point> single = ordinary(train, heldOut, 1, SINGLE_LR, tokensPerStep);
        ctx.progress().accept(String.format(Locale.ROOT, "single trainer: held-out loss %.4f after %d tokens; %.0f s, %.0f CPU s",
                last(single).loss(), last(single).tokens(), (System.nanoTime() - singleStarted) / 1e9,
                (ProcessCpu.nanos() - singleCpu) / 1e9));
        // The reference DiLoCo saves its bytes against: each step averages the workers' gradients. With the batch
        // split that is the one trainer's step; with whole batches it is one step on the workers' WORKERS batches
        // together, STEPS / WORKERS steps.
        List<Point> perStep = single;
        if (!SPLIT) {
            long perStepStarted = System.nanoTime();
            long perStepCpu = ProcessCpu.nanos();
            perStep = ordinary(train, heldOut, WORKERS, WORKER_LR, tokensPerStep);
            ctx.progress().accept(String.format(Locale.ROOT,
                    "per-step gradient exchange, %d workers: held-out loss %.4f after %d tokens (ratio %.4f); %.0f s, %.0f CPU s",
                    WORKERS, last(perStep).loss(), last(perStep).tokens(), last(perStep).loss() / last(single).loss(),
                    (System.nanoTime() - perStepStarted) / 1e9, (ProcessCpu.nanos() - perStepCpu) / 1e9));
        }

        // diloco.loss_ratio is the default outer optimizer's (millrace.diloco); the others compared get a figure each.
        List<DilocoRun> runs = new ArrayList<>();
        for (DilocoSettings settings : outerOptimizers(DilocoSettings.fromConfig(ctx.settings()))) {
            long started = System.nanoTime();
            long cpu = ProcessCpu.nanos();
            DilocoRun run = diloco(settings, train, heldOut, tokensPerStep);
            runs.add(run);
            ctx.progress().accept(String.format(Locale.ROOT,
                    "DiLoCo x%d, outer lr %s momentum %s, %s deltas%s: held-out loss %.4f after %d tokens (ratio %.4f); %d bytes moved; "
                            + "%.0f s, %.0f CPU s",
                    WORKERS, settings.outerLearningRate(), settings.outerMomentum(), settings.deltaEncoding(), runs.size() == 1 ? " (default)" : "",
                    last(run.curve()).loss(), last(run.curve()).tokens(), last(run.curve()).loss() / last(single).loss(),
                    run.bytes(),
                    (System.nanoTime() - started) / 1e9, (ProcessCpu.nanos() - cpu) / 1e9));
        }
        DilocoRun diloco = runs.get(0);

        long parameters = MODEL.parameterCount();
        // per-step exchange: at each of a worker's steps, each worker sends its fp32 gradient and receives the average
        long perStepBytes = (long) WORKER_STEPS * WORKERS * 2L * parameters * 4L;
        double ratio = last(diloco.curve()).loss() / last(single).loss();
        Path png = Path.of(ctx.settings().getString("millrace.data-dir")).resolve("bench").resolve("diloco-loss.png");
        plot(single, SPLIT ? null : perStep, runs, png);
        ctx.progress().accept(String.format(Locale.ROOT, "loss ratio %.4f; bytes %d vs %d per-step (%.4f); curves in %s",
                ratio, diloco.bytes(), perStepBytes, (double) diloco.bytes() / perStepBytes, png));
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("diloco.loss_ratio", ratio, "ratio", 1.05, false));
        for (DilocoRun run : runs.subList(1, runs.size())) {
            figures.add(new Figure(String.format(Locale.ROOT, "diloco.loss_ratio.outer_lr%s_m%s", run.settings().outerLearningRate(),
                    run.settings().outerMomentum()), last(run.curve()).loss() / last(single).loss(), "ratio", null, false));
        }
        if (!SPLIT) {
            figures.add(new Figure("diloco.loss_ratio.per_step_exchange", last(perStep).loss() / last(single).loss(), "ratio",
                    null, false));
        }
        figures.add(new Figure("diloco.bytes_vs_per_step", (double) diloco.bytes() / perStepBytes, "ratio", 2.0 / H, false));
        return figures;
    }

    record DilocoRun(DilocoSettings settings, List<Point> curve, long bytes) {
    }

    /**
     * Ordinary training on the same STEPS batches, {@code windowsPerStep} batches to a step (their gradients averaged,
     * as WORKERS workers exchanging gradients every step would), the schedule over the STEPS / windowsPerStep steps;
     * peak inner rate {@code lr}; held-out loss at the token counts of the DiLoCo rounds.
     */
    private static List<Point> ordinary(List<TokenBatch> train, List<TokenBatch> heldOut, int windowsPerStep, double lr,
                                        long tokensPerBatch) {
        int steps = STEPS / windowsPerStep;
        int evalEvery = BATCHES_PER_ROUND / windowsPerStep; // steps per DiLoCo round: same tokens
        List<Point> curve = new ArrayList<>();
        try (GptTrainer trainer = trainer(MODEL_SEED, lr, steps); GptTrainer eval = trainer(MODEL_SEED, lr, steps);
             NDManager data = NDManager.newBaseManager()) {
            curve.add(new Point(0, heldOutLoss(eval, trainer.model(), heldOut, data)));
            for (int s = 0; s < steps; s++) {
                try (NDManager step = data.newSubManager()) {
                    List<NDArray> windows = new ArrayList<>();
                    for (int w = 0; w < windowsPerStep; w++) {
                        TokenBatch b = train.get((s * windowsPerStep + w) % train.size());
                        windows.add(step.create(b.tokens(), new Shape(ROWS, MODEL.contextLength() + 1))); // (B, T+1)
                    }
                    trainer.step(windows);
                }
                if ((s + 1) % evalEvery == 0) {
                    long tokens = (s + 1) * windowsPerStep * tokensPerBatch;
                    curve.add(new Point(tokens, heldOutLoss(eval, trainer.model(), heldOut, data)));
                }
            }
        }
        return curve;
    }

    /**
     * The default outer optimizer first (with the bench's H), then each other one of {@link #OUTERS}; all with the
     * configured {@code millrace.diloco.delta-encoding}.
     */
    private static List<DilocoSettings> outerOptimizers(DilocoSettings defaults) {
        List<DilocoSettings> out = new ArrayList<>();
        out.add(DilocoSettings.paper(H).withOuter(defaults.outerLearningRate(), defaults.outerMomentum())
                .withDeltaEncoding(defaults.deltaEncoding()));
        for (String outer : OUTERS.split(",")) {
            if (outer.isBlank()) {
                continue; // -Dmillrace.bench.diloco.outer= runs the default alone
            }
            String[] lrMomentum = outer.trim().split(":");
            DilocoSettings settings;
            try {
                if (lrMomentum.length != 2) {
                    throw new NumberFormatException("not lr:momentum: " + outer);
                }
                settings = DilocoSettings.paper(H).withOuter(Double.parseDouble(lrMomentum[0]),
                        Double.parseDouble(lrMomentum[1])).withDeltaEncoding(defaults.deltaEncoding());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("millrace.bench.diloco.outer must be lr:momentum,... (got " + OUTERS + ")", e);
            }
            if (!out.contains(settings)) {
                out.add(settings);
            }
        }
        return out;
    }

    private static boolean batchMode() {
        String mode = System.getProperty("millrace.bench.diloco.batch", "split");
        return switch (mode) {
            case "split" -> true;
            case "whole" -> false;
            default -> throw new IllegalArgumentException("millrace.bench.diloco.batch must be split or whole (got " + mode + ")");
        };
    }

    /**
     * A peak learning rate from a system property. The defaults are the best measured on this suite: the one trainer
     * at 6e-3 (of 3e-3 to 8.4e-3), each worker on its half of the global batch at 4.2e-3, about 6e-3 / sqrt(2).
     */
    private static double peakLearningRate(String property, String defaultValue) {
        String value = System.getProperty(property, defaultValue);
        double lr;
        try {
            lr = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a number (got " + value + ")", e);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException(property + " must be > 0 (got " + value + ")");
        }
        return lr;
    }

    /** The inner learning rate, peak {@code lr}, of a run of {@code steps} optimizer steps ({@link #SCHEDULE}). */
    static LearningRateSchedule schedule(double lr, long steps) {
        return switch (SCHEDULE) {
            case "constant" -> LearningRateSchedule.constant(lr);
            // warm-up over a tenth of the run as the experiments do (ArmConfig), cosine to lr/10 at the last step
            case "cosine" -> new LearningRateSchedule(lr, lr / 10, Math.max(1, steps / 10), steps);
            default -> throw new IllegalArgumentException(
                    "millrace.bench.diloco.schedule must be cosine or constant (got " + SCHEDULE + ")");
        };
    }

    private DilocoRun diloco(DilocoSettings settings, List<TokenBatch> train, List<TokenBatch> heldOut, long tokensPerStep)
            throws Exception {
        int rounds = WORKER_STEPS / H;
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ActorRef<Object> sink = ctx.spawn(forward(events), "events");
            ctx.spawn(DilocoCoordinator.create(settings, sink.narrow()), "diloco-coordinator");
            for (int w = 0; w < WORKERS; w++) {
                List<TokenBatch> mine = DilocoBenchData.share(train, w, WORKERS, SPLIT, MODEL.contextLength());
                CurriculumScheduler curriculum = new CurriculumScheduler(
                        CurriculumSettings.uniform(List.of(BUCKET), DryPolicy.REPEAT), List.of(BUCKET), MODEL_SEED);
                // one schedule over the worker's STEPS / WORKERS inner steps: GptTrainer's step count runs on across rounds
                InnerTrainer inner = new InnerTrainer("w" + w, trainer(MODEL_SEED + w, WORKER_LR, WORKER_STEPS),
                        start -> new InMemoryBatches(Map.of(BUCKET, mine), start), curriculum, null);
                ctx.spawn(DilocoWorker.create(settings, inner, sink.narrow()), "worker-" + w);
            }
            return Behaviors.empty();
        }), "diloco-bench");
        List<Point> curve = new ArrayList<>();
        long bytes = 0;
        try (GptTrainer eval = trainer(MODEL_SEED, WORKER_LR, STEPS); NDManager data = NDManager.newBaseManager()) {
            org.millrace.training.diloco.internal.ParameterVector vector =
                    new org.millrace.training.diloco.internal.ParameterVector(eval.model());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (curve.size() <= rounds) {
                Object e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new IllegalStateException("DiLoCo made no progress within 30 minutes (" + curve.size() + " rounds)");
                }
                if (e instanceof DilocoWorker.ParametersApplied p && p.workerId().equals("w0") && p.round() == curve.size()) {
                    vector.write(p.parameters(), eval.manager());
                    curve.add(new Point(p.round() * BATCHES_PER_ROUND * tokensPerStep, heldOutLoss(eval, eval.model(), heldOut, data)));
                } else if (e instanceof DilocoCoordinator.RoundCompleted c && c.round() == rounds - 1) {
                    bytes = c.bytesReceived() + c.bytesSent();
                }
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(2, TimeUnit.MINUTES);
        }
        return new DilocoRun(settings, curve, bytes);
    }

    private static Behavior<Object> forward(BlockingQueue<Object> queue) {
        return Behaviors.receiveMessage(m -> {
            queue.add(m);
            return Behaviors.same();
        });
    }

    private static String describe(LearningRateSchedule s) {
        return s.decayEndStep() == 0 && s.warmupSteps() == 0 ? "constant " + s.maxLearningRate()
                : String.format(Locale.ROOT, "warm-up %d steps to %.3g, cosine to %.3g at step %d", s.warmupSteps(),
                        s.maxLearningRate(), s.minLearningRate(), s.decayEndStep());
    }

    /**
     * A trainer whose inner schedule, peak {@code lr}, spans {@code steps} steps; AdamW and clipping as
     * {@link OptimizerSettings#constant}.
     */
    private static GptTrainer trainer(long seed, double lr, long steps) {
        OptimizerSettings base = OptimizerSettings.constant(lr);
        OptimizerSettings optim = new OptimizerSettings(schedule(lr, steps), base.adamW(), base.gradClip(), base.microBatchSize());
        return GptTrainer.create(MODEL, optim, new ComputeSettings("cpu", 1, seed));
    }

    /** Mean next-token loss of {@code model} on the held-out batches. */
    @SuppressWarnings("try") // the scope only sets and restores the grad mode
    private static double heldOutLoss(GptTrainer owner, org.millrace.training.model.Gpt model, List<TokenBatch> heldOut,
                                      NDManager data) {
        double sum = 0;
        try (Autograd.Scope ignored = Autograd.disabled()) {
            for (TokenBatch b : heldOut) {
                try (NDManager m = owner.manager().newSubManager()) {
                    NDArray window = m.create(b.tokens(), new Shape(ROWS, MODEL.contextLength() + 1)); // (B, T+1)
                    sum += model.loss(window, false).getFloat();
                }
            }
        }
        return sum / heldOut.size();
    }

    private static Point last(List<Point> curve) {
        return curve.get(curve.size() - 1);
    }

    private static void plot(List<Point> single, List<Point> perStep, List<DilocoRun> runs, Path png) throws Exception {
        XYChart chart = new XYChartBuilder().width(800).height(600)
                .title("tiny GPT: held-out loss, same total tokens, " + (SPLIT ? "global batch split" : "whole batches")
                        + ", " + SCHEDULE + " inner learning rate")
                .xAxisTitle("training tokens (all workers)").yAxisTitle("held-out loss (nats/token)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // a legend beside the plot pushed the title out
        chart.addSeries(perStep == null ? "one trainer (= 2 workers exchanging gradients every step)" : "one trainer", single.stream().mapToDouble(Point::tokens).toArray(),
                single.stream().mapToDouble(Point::loss).toArray());
        if (perStep != null) { // with the batch split, per-step exchange is the one trainer
            chart.addSeries("2 workers exchanging gradients every step", perStep.stream().mapToDouble(Point::tokens).toArray(),
                    perStep.stream().mapToDouble(Point::loss).toArray());
        }
        for (DilocoRun run : runs) {
            chart.addSeries(String.format(Locale.ROOT, "DiLoCo, 2 workers, H = %d, outer lr %s, momentum %s", H,
                            run.settings().outerLearningRate(), run.settings().outerMomentum()),
                    run.curve().stream().mapToDouble(Point::tokens).toArray(),
                    run.curve().stream().mapToDouble(Point::loss).toArray());
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
