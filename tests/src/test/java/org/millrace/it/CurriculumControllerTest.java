package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.evaluation.EvalResultPublisher;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.broker.TopicBootstrap;
import org.millrace.ops.broker.TopicSpec;
import org.millrace.ops.run.TopicReader;
import org.millrace.training.curriculum.AdaptiveCurriculum;
import org.millrace.training.curriculum.AdaptiveSettings;
import org.millrace.training.curriculum.CurriculumController;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.CurriculumSettings;
import org.millrace.training.curriculum.CurriculumSubscriber;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.curriculum.UpdateSource;

/**
 * The closed loop on the embedded broker: evaluation results published to {@code millrace.eval.results}
 * make the curriculum controller publish a mixture to {@code millrace.curriculum}, which the trainer's
 * subscriber and scheduler apply from its stated step; a restarted controller replays the results to the
 * same state and publishes nothing twice.
 */
class CurriculumControllerTest {
    private static final String RUN = "closed-loop";
    private static final List<String> BUCKETS = List.of("web", "textbook", "code", "synthetic");
    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;
    private static Map<String, Object> kafka;
    private static final Topics TOPICS = new Topics("it-controller", BUCKETS);
    private static final AdaptiveSettings SETTINGS = new AdaptiveSettings(true, 0.05, 0.1, 0.1, 0.05, "bits_per_byte",
            Map.of("code", List.of("bpb_code_python")), "heldout_", 5, Duration.ofMillis(300), 42);
    private static final Map<String, Double> START = Map.of("web", 0.85, "textbook", 0.05, "code", 0.10);

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir));
        kafka = KafkaClients.properties(Settings.load(null), broker.bootstrapServers(), Map.of());
        try (Admin admin = Admin.create(kafka)) {
            TopicBootstrap.ensure(admin, List.of(TopicSpec.of(TOPICS.evalResults(), 1), TopicSpec.of(TOPICS.curriculum(), 1)));
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static List<EvalResult> checkpoint(long step, double heldOut, double code) {
        return List.of(new EvalResult(RUN, "ckpt-" + step, step, step * 512, "heldout_corpus", "bits_per_byte", heldOut, 0.01, 100, step),
                new EvalResult(RUN, "ckpt-" + step, step, step * 512, "bpb_code_python", "bits_per_byte", code, 0.01, 100, step),
                new EvalResult("another-run", "x", step, 0, "bpb_code_python", "bits_per_byte", 99.0, 0.01, 100, step));
    }

    private static ActorSystem<CurriculumController.Command> controller() {
        return ActorSystem.create(CurriculumController.create(kafka, TOPICS, RUN, SETTINGS, START, null), "controller",
                ConfigFactory.load());
    }

    private static List<CurriculumUpdate> published() {
        return TopicReader.readAll(kafka, TOPICS.curriculum(), Duration.ofSeconds(30)).stream()
                .filter(r -> RUN.equals(r.key())).map(r -> Json.read(r.value(), CurriculumUpdate.class)).toList();
    }

    private static CurriculumController.Status status(ActorSystem<CurriculumController.Command> system) throws Exception {
        return AskPattern.<CurriculumController.Command, CurriculumController.Status>ask(system, CurriculumController.GetStatus::new,
                Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPublishedResultBecomesAMixtureTheTrainerAppliesAndARestartRepublishesNothing() throws Exception {
        ActorSystem<CurriculumController.Command> system = controller();
        CurriculumScheduler scheduler = new CurriculumScheduler(CurriculumSettings.uniform(BUCKETS, DryPolicy.REPEAT), BUCKETS, 7);
        try (EvalResultPublisher results = new EvalResultPublisher(kafka, TOPICS.evalResults());
             CurriculumSubscriber subscriber = new CurriculumSubscriber(kafka, TOPICS.curriculum(), RUN, Map.of())) {
            results.publish(checkpoint(10, 2.0, 3.0)); // the baseline: no round yet
            results.publish(checkpoint(20, 1.98, 2.85)); // code falls 5% (full reward), held-out 1%
            List<UpdateSource.Received> received = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.isEmpty() && System.nanoTime() < deadline) {
                received.addAll(subscriber.drain());
                Thread.sleep(50);
            }
            assertEquals(1, received.size(), "one mixture for two checkpoints (the first is the baseline)");
            CurriculumUpdate update = received.get(0).update();
            assertEquals(25, update.fromStep(), "evaluated step 20 + lead-steps 5");

            // what an offline bandit makes of the same results: the controller is deterministic
            AdaptiveCurriculum offline = new AdaptiveCurriculum(SETTINGS, BUCKETS, START);
            Map<String, Double> expected = offline.update(Map.of("web", 0.2, "textbook", 0.2, "code", 1.0, "synthetic", 0.2)).mixture();
            BUCKETS.forEach(b -> assertEquals(expected.get(b), update.weights().get(b), 1e-12, b));

            // the trainer's scheduler: phases before the stated step, the published mixture from it on
            UpdateSource.Received r = received.get(0);
            assertEquals(25, scheduler.offer(r.update(), 3, r.partition(), r.offsetAfter()));
            assertEquals(0.25, scheduler.mixture(24).get("synthetic"), 1e-12);
            Map<String, Double> applied = scheduler.mixture(25);
            BUCKETS.forEach(b -> assertEquals(expected.get(b), applied.get(b), 1e-9, b));

            // a restarted controller replays both checkpoints, reaches the same state, publishes nothing again
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            system = controller();
            CurriculumController.Status s = status(system);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (s.rounds() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                s = status(system);
            }
            assertEquals(1, s.rounds(), "replayed");
            assertEquals(25, s.lastFromStep());
            Map<String, Double> replayed = s.mixture();
            BUCKETS.forEach(b -> assertEquals(expected.get(b), replayed.get(b), 1e-12, b));
            assertEquals(1, published().size(), "nothing published twice: " + published());

            results.publish(checkpoint(30, 1.97, 2.80));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (published().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<CurriculumUpdate> all = published();
            assertEquals(2, all.size());
            assertEquals(35, all.get(1).fromStep());
            for (String b : BUCKETS) {
                assertTrue(Math.abs(all.get(1).weights().get(b) - all.get(0).weights().get(b)) <= SETTINGS.maxChange() + 1e-12);
                assertTrue(all.get(1).weights().get(b) >= SETTINGS.floor() - 1e-12);
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
