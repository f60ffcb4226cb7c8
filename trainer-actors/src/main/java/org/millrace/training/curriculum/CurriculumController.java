package org.millrace.training.curriculum;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.Topics;

/**
 * The closed loop: reads a run's results on {@code millrace.eval.results}, runs one {@link AdaptiveCurriculum}
 * (EXP3) round per evaluated checkpoint, and publishes each new mixture to {@code millrace.curriculum}
 * (keyed by run) from the evaluated step plus {@code lead-steps}, where the trainer's
 * {@link CurriculumSubscriber} picks it up. A checkpoint's results are complete when a later checkpoint's
 * result arrives or none has come for {@code settle}.
 *
 * <p>A failure (reading the results, e.g. before the topics exist) restarts it with backoff. It keeps no state of its own: on start (or on another node, as a cluster singleton) it replays the
 * run's results from the beginning, which rebuilds the same bandit state, and publishes only mixtures
 * later than the last one on the curriculum topic.
 */
public final class CurriculumController extends AbstractBehavior<CurriculumController.Command> {

    /** Messages of the controller. */
    public sealed interface Command {
    }

    /** Evaluation results of the run, in topic order (the controller's own reader sends these). */
    public record ResultsArrived(List<EvalResult> results) implements Command {
    }

    /** Asks for the controller's state. */
    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    /**
     * @param mixture       the mixture of the last round (the starting one before any)
     * @param rounds        bandit rounds run
     * @param lastFromStep  from-step of the last mixture on the curriculum topic (-1: none)
     */
    public record Status(Map<String, Double> mixture, int rounds, long lastFromStep) {
    }

    /** What the controller tells a listener: a mixture it published, and the round that made it. */
    public record Published(CurriculumUpdate update, long evaluatedStep, AdaptiveCurriculum.Round round) {
    }

    private record Resumed(long lastFromStep) implements Command {
    }

    private record Settle(long step) implements Command {
    }

    private record ReaderFailed(String reason) implements Command {
    }

    private static final Object SETTLE_TIMER = "settle";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CurriculumController.class);

    private final TimerScheduler<Command> timers;
    private final AdaptiveSettings settings;
    private final String run;
    private final String curriculumTopic;
    private final AdaptiveCurriculum bandit;
    private final HeldOutRewards rewards;
    private final ActorRef<Published> listener;
    private final KafkaProducer<String, byte[]> producer;
    private final EvalResultsTail tail;
    private final TreeMap<Long, List<EvalResult>> pending = new TreeMap<>();
    private final List<EvalResult> beforeResume = new ArrayList<>();
    private long processedUpTo = -1;
    private long lastFromStep = -1;
    private boolean resumed;

    private CurriculumController(ActorContext<Command> ctx, TimerScheduler<Command> timers, Map<String, Object> kafka,
                                 Topics topics, String run, AdaptiveSettings settings, AdaptiveCurriculum bandit,
                                 ActorRef<Published> listener) {
        super(ctx);
        this.timers = timers;
        this.settings = settings;
        this.run = run;
        this.curriculumTopic = topics.curriculum();
        this.bandit = bandit;
        this.rewards = new HeldOutRewards(settings, bandit.buckets());
        this.listener = listener;
        this.producer = KafkaClients.idempotentProducer(kafka, "millrace-curriculum-controller-" + run);
        ActorRef<Command> self = ctx.getSelf();
        this.tail = new EvalResultsTail(kafka, topics.evalResults(), topics.curriculum(), run,
                step -> self.tell(new Resumed(step)), results -> self.tell(new ResultsArrived(results)),
                reason -> self.tell(new ReaderFailed(reason)));
        ctx.getLog().info("curriculum controller of run {}: EXP3 over {} from {}", run, bandit.buckets(), bandit.mixture());
    }

    /**
     * @param kafka    client properties
     * @param run      run id whose results are read and whose mixtures are published
     * @param initial  starting weights (e.g. the first phase of the configured curriculum)
     * @param listener told of every published mixture; null: nobody
     */
    public static Behavior<Command> create(Map<String, Object> kafka, Topics topics, String run, AdaptiveSettings settings,
                                           Map<String, Double> initial, ActorRef<Published> listener) {
        new AdaptiveCurriculum(settings, topics.buckets(), initial); // checks the settings against the buckets now
        // restarted from scratch when reading fails (e.g. its topics do not exist yet): the replay rebuilds the state
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers ->
                        new CurriculumController(ctx, timers, kafka, topics, run, settings,
                                new AdaptiveCurriculum(settings, topics.buckets(), initial), listener))))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    /** The controller of the configured run: topics, run id, adaptive settings, and the first phase as the start. */
    public static Behavior<Command> create(Config config, Map<String, Object> kafka, ActorRef<Published> listener) {
        Topics topics = Topics.fromConfig(config);
        CurriculumSettings curriculum = CurriculumSettings.fromConfig(config, topics.buckets());
        return create(kafka, topics, config.getString("millrace.run-id"), AdaptiveSettings.fromConfig(config),
                curriculum.phases().get(0).weights(), listener);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Resumed.class, this::onResumed)
                .onMessage(ResultsArrived.class, this::onResults)
                .onMessage(Settle.class, m -> {
                    completeUpTo(m.step());
                    return this;
                })
                .onMessage(GetStatus.class, m -> {
                    m.replyTo().tell(new Status(bandit.mixture(), bandit.rounds(), lastFromStep));
                    return this;
                })
                .onMessage(ReaderFailed.class, m -> {
                    throw new IllegalStateException("reading evaluation results of run " + run + " failed: " + m.reason());
                })
                .onSignal(PostStop.class, s -> close())
                .onSignal(PreRestart.class, s -> close())
                .build();
    }

    private Behavior<Command> close() {
        tail.close();
        producer.close();
        return this;
    }

    private Behavior<Command> onResumed(Resumed m) {
        lastFromStep = m.lastFromStep();
        resumed = true;
        if (lastFromStep >= 0) {
            getContext().getLog().info("run {}: mixtures up to step {} are already published; replaying results", run, lastFromStep);
        }
        if (!beforeResume.isEmpty()) {
            List<EvalResult> held = List.copyOf(beforeResume);
            beforeResume.clear();
            return onResults(new ResultsArrived(held));
        }
        return this;
    }

    private Behavior<Command> onResults(ResultsArrived m) {
        if (!resumed) {
            beforeResume.addAll(m.results()); // cannot happen with the own reader (it resumes first); kept for other senders
            return this;
        }
        for (EvalResult r : m.results()) {
            if (!r.run().equals(run)) {
                continue;
            }
            if (r.step() <= processedUpTo) {
                getContext().getLog().debug("result {} of step {} arrived after its checkpoint was complete; not counted", r.task(), r.step());
                continue;
            }
            pending.computeIfAbsent(r.step(), s -> new ArrayList<>()).add(r);
        }
        if (pending.isEmpty()) {
            return this;
        }
        long newest = pending.lastKey();
        completeUpTo(newest - 1); // a later checkpoint's result means the earlier ones are complete
        timers.startSingleTimer(SETTLE_TIMER, new Settle(newest), settings.settle());
        return this;
    }

    private void completeUpTo(long step) {
        while (!pending.isEmpty() && pending.firstKey() <= step) {
            Map.Entry<Long, List<EvalResult>> e = pending.pollFirstEntry();
            processedUpTo = e.getKey();
            round(e.getKey(), e.getValue());
        }
    }

    private void round(long step, List<EvalResult> results) {
        Map<String, Double> r = rewards.next(results);
        if (r == null) {
            return; // the first checkpoint: its losses are the baseline
        }
        AdaptiveCurriculum.Round round = bandit.update(r);
        long from = step + settings.leadSteps();
        if (from <= lastFromStep) {
            return; // published before a restart
        }
        CurriculumUpdate update = new CurriculumUpdate(round.mixture(), from);
        producer.send(new ProducerRecord<>(curriculumTopic, run, Json.write(update)), (meta, error) -> {
            if (error != null) {
                LOG.error("publishing the mixture of run {} from step {} failed: {}", run, from, error.toString()); // producer thread: no actor context
            }
        });
        producer.flush();
        lastFromStep = from;
        getContext().getLog().info("run {}: round {} drew {} (reward {}); mixture from step {}: {}", run, round.round(),
                round.drawn(), String.format("%.3f", round.reward()), from, round.mixture());
        if (listener != null) {
            listener.tell(new Published(update, step, round));
        }
    }
}
