package org.millrace.ops.experiment;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.Topics;
import org.millrace.common.TrainEvent;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.MillraceRun;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.RunSummary;
import org.millrace.ops.run.TopicReader;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.synth.ProgrammaticSynth;
import org.millrace.producers.synth.WordNetGlosses;

/**
 * {@code millrace experiment textbooks}: trains every arm (and seed) with {@link MillraceRun}, one after the
 * other on one broker, each with its own topic prefix, run id and data directory; reads each arm's
 * evaluation results back from Kafka; and writes the report after every arm (so an interrupted experiment
 * leaves what it has).
 */
public final class TextbookExperiment {
    private final Config base;
    private final ExperimentSettings settings;
    private final Path seedRoot;
    private final PrintStream out;
    private final String command;

    /**
     * @param base     resolved settings of the command (its data directory holds what the arms share)
     * @param seedRoot documents of {@code run} when it has no corpus ({@link MillraceRun.Options#seedRoot()})
     * @param command  the command line, quoted in the report
     */
    public TextbookExperiment(Config base, ExperimentSettings settings, Path seedRoot, PrintStream out, String command) {
        this.base = base;
        this.settings = settings;
        this.seedRoot = seedRoot;
        this.out = out;
        this.command = command;
    }

    /** Runs every arm and seed; returns the report written. */
    public ExperimentReport.Written execute() throws Exception {
        Path runs = settings.out().resolve("runs");
        if (Files.isDirectory(runs)) {
            try (var entries = Files.list(runs)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + settings.out() + " already holds an experiment (" + runs
                            + "); choose another directory or remove it");
                }
            }
        }
        Files.createDirectories(runs);
        Path shared = Path.of(base.getString("millrace.data-dir")).toAbsolutePath().normalize();
        String servers = base.getString("millrace.kafka.bootstrap-servers");
        long steps = ArmConfig.steps(base, settings);
        out.printf(Locale.ROOT, "experiment textbooks: %s × %d seed(s), %,d tokens each (%,d steps of %,d tokens), preset %s → %s%n",
                settings.arms().stream().map(Arm::label).toList(), settings.seeds(), settings.tokens(), steps,
                ArmConfig.tokensPerStep(base), settings.preset(), settings.out());
        ExperimentReport.Context context = ExperimentReport.Context.now(command, steps, ArmConfig.tokensPerStep(base));
        EmbeddedKafkaBroker broker = servers.isBlank() ? EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(settings.out())) : null;
        try {
            String bootstrap = broker != null ? broker.bootstrapServers() : servers;
            List<ArmRun> done = new ArrayList<>();
            ExperimentReport.Written written = null;
            for (int k = 0; k < settings.seeds(); k++) {
                for (Arm arm : settings.arms()) {
                    long seed = settings.seed(k);
                    done.add(runArm(arm, seed, shared, runs.resolve(ArmConfig.runId(arm, seed)), bootstrap));
                    written = ExperimentReport.write(settings, context.atReport(), done);
                }
            }
            out.println("results: " + written.markdown() + ", " + written.json() + ", " + written.plots().size() + " plots in "
                    + written.markdown().getParent().resolve("plots"));
            return written;
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private ArmRun runArm(Arm arm, long seed, Path shared, Path armDir, String bootstrap) throws Exception {
        Config config = ArmConfig.of(base, settings, arm, seed, shared, armDir, bootstrap);
        String run = config.getString("millrace.run-id");
        Topics topics = Topics.fromConfig(config);
        PrintStream armOut = LinePrefix.of(out, String.format(Locale.ROOT, "[%s s%d] ", arm.label(), seed));
        ProgressLine progress = new ProgressLine(armOut);
        progress.println("arm " + arm.label() + ": " + arm.description() + "; run " + run + ", topics " + topics.prefix() + ".*");
        long t0 = System.nanoTime();
        Map<String, Object> props;
        try (KafkaConnection kafka = KafkaConnection.open(config, armDir)) {
            kafka.ensureTopics(topics);
            props = kafka.clientProperties();
        }
        if (arm.synthetic()) {
            publishSynthetic(config, props, topics, seed, progress);
        }
        // the adaptive arm's controller is started by the run itself (millrace.curriculum.mode = adaptive)
        RunSummary summary = new MillraceRun(new MillraceRun.Options(config, armDir, seedRoot), progress).execute();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Duration t = Duration.ofSeconds(60);
        List<EvalResult> results = TopicReader.readAll(props, topics.evalResults(), t).stream()
                .map(r -> Json.read(r.value(), EvalResult.class)).filter(r -> r.run().equals(run)).toList();
        List<CurriculumUpdate> mixtures = TopicReader.readAll(props, topics.curriculum(), t).stream()
                .filter(r -> run.equals(r.key())).map(r -> Json.read(r.value(), CurriculumUpdate.class)).toList();
        double msPer1k = summary.tokens() == 0 ? Double.NaN : seconds * 1e6 / summary.tokens();
        double trainMsPer1k = trainingPace(TopicReader.readAll(props, topics.trainEvents(), t).stream()
                .map(r -> Json.read(r.value(), TrainEvent.class)).filter(e -> e.run().equals(run)).toList());
        progress.println(String.format(Locale.ROOT, "arm %s seed %d done: %d steps, %,d tokens in %.0f s (%.0f ms per 1,000 tokens; training alone %.0f), "
                        + "final loss %.4f, %d evaluation results%s", arm.label(), seed, summary.steps(), summary.tokens(), seconds, msPer1k,
                trainMsPer1k, summary.finalLoss(), results.size(), arm == Arm.ADAPTIVE ? ", " + mixtures.size() + " mixtures published" : ""));
        return new ArmRun(arm.label(), seed, run, summary.steps(), summary.tokens(), summary.finalLoss(), seconds, msPer1k,
                trainMsPer1k, summary.docs(), results, mixtures);
    }

    /** Milliseconds per 1,000 tokens between the first and the last progress event of a run (NaN if fewer than two). */
    static double trainingPace(List<TrainEvent> events) {
        List<TrainEvent> steps = events.stream().filter(e -> !e.announcesCheckpoint()).toList();
        if (steps.size() < 2) {
            return Double.NaN;
        }
        TrainEvent first = steps.stream().min(java.util.Comparator.comparingLong(TrainEvent::step)).orElseThrow();
        TrainEvent last = steps.stream().max(java.util.Comparator.comparingLong(TrainEvent::step)).orElseThrow();
        long tokens = last.tokens() - first.tokens();
        return tokens <= 0 ? Double.NaN : (last.time() - first.time()) * 1000.0 / tokens;
    }

    /** The synthetic textbooks and exercises of a synthetic arm, generated with its seed. */
    private void publishSynthetic(Config config, Map<String, Object> props, Topics topics, long seed, ProgressLine progress) {
        if (settings.syntheticDocuments() == 0) {
            return;
        }
        long t0 = System.nanoTime();
        ProgrammaticSynth synth = new ProgrammaticSynth(seed, WordNetGlosses.fromCorpus(CorpusSettings.fromConfig(config).corpusDir()));
        try (DocumentPublisher publisher = new DocumentPublisher(props, topics)) {
            synth.documents(0, settings.syntheticDocuments()).forEach(publisher::publish);
            publisher.flush();
            progress.println(String.format(Locale.ROOT, "synthetic: %,d programmatic documents (%s, seed %d, %.1f MB) in %.1f s",
                    publisher.published(), String.join(", ", synth.lessons()), seed, publisher.bytes() / 1e6,
                    (System.nanoTime() - t0) / 1e9));
        }
    }
}
