package org.millrace.ops.run;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.millrace.training.curriculum.AdaptiveSettings;
import org.millrace.training.curriculum.CurriculumController;

/**
 * The closed-loop curriculum controller of a run with {@code millrace.curriculum.mode = adaptive}, in an
 * actor system of its own (so that it outlives nothing of the run's and is stopped with it); it prints
 * each mixture it publishes. With {@code mode = fixed} it starts nothing.
 */
public final class RunCurriculumController implements AutoCloseable {
    private final ActorSystem<Void> system;
    private final java.time.Duration settle;

    private RunCurriculumController(ActorSystem<Void> system, java.time.Duration settle) {
        this.system = system;
        this.settle = settle;
    }

    /** Starts the controller when the run's curriculum is adaptive. */
    public static RunCurriculumController startIfAdaptive(Config config, Map<String, Object> kafka, ProgressLine progress) {
        AdaptiveSettings settings = AdaptiveSettings.fromConfig(config);
        if (!settings.adaptive()) {
            return new RunCurriculumController(null, java.time.Duration.ZERO);
        }
        Behavior<Void> guardian = Behaviors.setup(ctx -> {
            ActorRef<CurriculumController.Published> listener = ctx.spawn(Behaviors.receive(CurriculumController.Published.class)
                    .onMessage(CurriculumController.Published.class, p -> {
                        progress.println(String.format(Locale.ROOT, "controller: checkpoint %d → round %d drew %s (reward %.2f); "
                                        + "mixture from step %d: %s", p.evaluatedStep(), p.round().round(), p.round().drawn(),
                                p.round().reward(), p.update().fromStep(), shares(p.update().weights())));
                        return Behaviors.same();
                    }).build(), "listener");
            ctx.spawn(CurriculumController.create(config, kafka, listener), "curriculum-controller");
            return Behaviors.empty();
        });
        return new RunCurriculumController(ActorSystem.create(guardian, "millrace-curriculum", config), settings.settle());
    }

    /** Bucket shares in percent, as {@code web 40%, code 20%, ...}, in the mixture's order. */
    public static String shares(Map<String, Double> weights) {
        double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        return weights.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100 * e.getValue() / sum))
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() throws Exception {
        if (system != null) {
            // The results of the last checkpoint count as complete after `settle`; waiting that long (once,
            // at the end of a run) lets the controller publish their mixture, which the next run on this
            // data starts from, instead of dropping the last round.
            Thread.sleep(settle.toMillis() + 500);
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }
}
