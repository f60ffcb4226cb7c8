package org.millrace.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.TrainEvent;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.EvalTaskType;
import org.millrace.common.evalsets.UserTasks;
import org.millrace.evaluation.EvalResultPublisher;
import org.millrace.evaluation.EvalSettings;
import org.millrace.evaluation.EvalSuite;
import org.millrace.evaluation.EvaluatorActor;
import org.millrace.ops.Main;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.TopicReader;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.ComputeSettings;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.optim.OptimizerSettings;

/**
 * {@code millrace eval CHECKPOINT --publish} and {@code millrace eval report} against a real broker, and
 * the evaluator actor's every-Nth-checkpoint rule with results read back from Kafka. User tasks from a
 * configuration file stand in for built sets.
 */
class EvalCommandTest {
    private static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static Path config;
    private static Path checkpoints;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("java.awt.headless", "true");
        dir = Files.createTempDirectory("millrace-eval-command");
        broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dir.resolve("broker")));
        Path mc = dir.resolve("capitals.jsonl");
        Files.writeString(mc, "{\"id\":\"1\",\"context\":\"France:\",\"choices\":[\" Paris\",\" Rome\"],\"gold\":0}\n"
                + "{\"id\":\"2\",\"context\":\"Italy:\",\"choices\":[\" Paris\",\" Rome\"],\"gold\":1}\n");
        Path em = dir.resolve("doctest.jsonl");
        Files.writeString(em, "{\"id\":\"1\",\"context\":\">>> 1 + 1\\n\",\"answer\":\"2\"}\n");
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "Millrace evaluates every checkpoint on held-out text, quizzes and doctests.\n");
        config = dir.resolve("eval.conf");
        Files.writeString(config, "millrace.run-id = evalrun\nmillrace.eval.sets-dir = \"" + dir.resolve("no-sets") + "\"\n"
                + "millrace.eval.user-tasks = [\n"
                + "  {name = capitals, type = multiple_choice, file = \"" + mc + "\"}\n"
                + "  {name = doctest_mini, type = exact_match, file = \"" + em + "\"}\n"
                + "  {name = bpb_notes, type = bits_per_byte, file = \"" + text + "\"}\n]\n");
        checkpoints = dir.resolve("checkpoints");
        try (GptTrainer trainer = GptTrainer.create(GptConfig.tiny(257), OptimizerSettings.constant(1e-3), ComputeSettings.cpu(3))) {
            CheckpointStore store = new CheckpointStore(checkpoints, "evalrun", 5);
            for (long step : List.of(10L, 20L)) {
                CheckpointManifest m = new CheckpointManifest(CheckpointManifest.VERSION, "evalrun", step, step * 1000, 0, Map.of(),
                        ByteTokenizer.NAME, TrainingLoop.modelDescription(trainer.model().config()), 0, 5.0, System.currentTimeMillis());
                store.write(m, tmp -> trainer.saveParameters(TrainingLoop.parametersFile(tmp)));
            }
        }
    }

    @AfterAll
    static void tearDown() throws java.io.IOException {
        if (broker != null) {
            broker.close();
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String[] common(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", dir.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--config", config.toString()));
        return all.toArray(String[]::new);
    }

    @Test
    void evalPublishesOneRecordPerTaskAndMetricAndTheReportPlotsThem() throws Exception {
        for (String step : List.of("step-00000010", "step-00000020")) {
            assertEquals(0, Main.execute(common("eval", checkpoints.resolve("evalrun").resolve(step).toString(), "--publish")));
        }
        List<EvalResult> results = TopicReader.readAll(KafkaClients.properties(com.typesafe.config.ConfigFactory.load(),
                        broker.bootstrapServers(), Map.of()), "millrace.eval.results", Duration.ofSeconds(30)).stream()
                .map(r -> Json.read(r.value(), EvalResult.class)).toList();
        Set<String> keys = results.stream().map(r -> r.step() + " " + r.task() + " " + r.metric()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("10 bpb_notes bits_per_byte", "10 bpb_notes loss", "10 capitals acc", "10 capitals acc_norm",
                "10 doctest_mini exact_match", "20 bpb_notes bits_per_byte", "20 bpb_notes loss", "20 capitals acc",
                "20 capitals acc_norm", "20 doctest_mini exact_match")), keys);
        assertTrue(results.stream().allMatch(r -> r.run().equals("evalrun") && r.tokens() == r.step() * 1000 && r.n() > 0));

        Path out = dir.resolve("report");
        assertEquals(0, Main.execute(common("eval", "report", "--out", out.toString())));
        assertTrue(Files.readString(out.resolve("report.md")).contains("| capitals | acc |"));
        for (String png : List.of("bpb_notes.bits_per_byte.png", "capitals.acc_norm.png", "doctest_mini.exact_match.png")) {
            assertNotNull(ImageIO.read(out.resolve("plots").resolve(png).toFile()), png);
        }
        assertEquals(2, Main.execute(common("eval", "report", "--run", "nobody", "--out", out.toString())));
    }

    @Test
    void theActorEvaluatesEveryNthCheckpointAndTheLastOnRequest() throws Exception {
        Map<String, Object> kafka = KafkaClients.properties(com.typesafe.config.ConfigFactory.load(), broker.bootstrapServers(), Map.of());
        ByteTokenizer tokenizer = new ByteTokenizer();
        EvalSetRegistry registry = EvalSetRegistry.open(dir.resolve("no-sets"),
                List.of(new UserTasks.Spec("capitals", EvalTaskType.MULTIPLE_CHOICE, dir.resolve("capitals.jsonl"))));
        EvalSuite suite = EvalSuite.fromRegistry(registry, new EvalSettings(2, 4, 0, 0, 8, List.of(), false), tokenizer);
        LinkedBlockingQueue<EvaluatorActor.Evaluated> evaluated = new LinkedBlockingQueue<>();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(kafka)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("it.every.results", 1, (short) 1))).all().get();
        }
        ExecutorService executor = Executors.newSingleThreadExecutor();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "eval-test");
        try (EvalResultPublisher publisher = new EvalResultPublisher(kafka, "it.every.results")) {
            ActorRef<EvaluatorActor.Evaluated> listener = system.systemActorOf(Behaviors.receive(EvaluatorActor.Evaluated.class)
                    .onAnyMessage(m -> {
                        evaluated.add(m);
                        return Behaviors.same();
                    }).build(), "listener", Props.empty());
            ActorRef<EvaluatorActor.Command> evaluator = system.systemActorOf(EvaluatorActor.create(suite, publisher, executor, listener),
                    "evaluator", Props.empty());
            String ckpt = checkpoints.resolve("evalrun").resolve("step-00000010").toString();
            for (long step = 1; step <= 4; step++) {
                evaluator.tell(new EvaluatorActor.Evaluate(new TrainEvent("evalrun", TrainEvent.CHECKPOINT, step, step * 10, 1.0, ckpt, 0)));
                if (step % 2 == 1) { // the 1st and 3rd are evaluated: wait for each, so that none is superseded
                    assertEquals(step, evaluated.poll(300, TimeUnit.SECONDS).event().step());
                }
            }
            evaluator.tell(new EvaluatorActor.EvaluateLatest());
            assertEquals(4, evaluated.poll(300, TimeUnit.SECONDS).event().step(), "the 4th, passed over, is evaluated on request");
        } finally {
            system.terminate();
            executor.shutdownNow();
        }
        List<Long> steps = TopicReader.readAll(kafka, "it.every.results", Duration.ofSeconds(30)).stream()
                .map(r -> Json.read(r.value(), EvalResult.class)).filter(r -> r.metric().equals("acc")).map(EvalResult::step).toList();
        assertEquals(List.of(1L, 3L, 4L), steps);
    }
}
