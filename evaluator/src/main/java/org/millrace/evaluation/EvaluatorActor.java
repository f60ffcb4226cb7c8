package org.millrace.evaluation;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.millrace.common.EvalResult;
import org.millrace.common.TrainEvent;

/**
 * Evaluates checkpoints as they are announced — every one, or every Nth
 * ({@code millrace.eval.every-checkpoints}) — and publishes one result per task and metric. Scoring runs
 * on a dedicated executor, never on the actor's dispatcher, one checkpoint at a time; checkpoints
 * announced meanwhile wait and, when several wait, only the newest is evaluated, so evaluation never
 * holds training back nor falls behind for good. {@link EvaluateLatest} evaluates the newest checkpoint
 * passed over by the every-Nth rule (a run's last one).
 */
public final class EvaluatorActor extends AbstractBehavior<EvaluatorActor.Command> {

    /** Messages of the evaluator. */
    public sealed interface Command {
    }

    /** A checkpoint announced. */
    public record Evaluate(TrainEvent event) implements Command {
    }

    /**
     * Evaluate the newest announced checkpoint not evaluated yet, whatever the every-Nth rule says; when
     * none waits, the next one announced (its announcement may still be on its way).
     */
    public record EvaluateLatest() implements Command {
    }

    private record Done(TrainEvent event, List<EvalResult> results, Throwable failure) implements Command {
    }

    /** What the evaluator tells its listener. */
    public record Evaluated(TrainEvent event, List<EvalResult> results) {
    }

    private final EvalSuite suite;
    private final EvalResultPublisher publisher;
    private final Executor executor;
    private final ActorRef<Evaluated> listener;
    private final int every;
    private long announced;
    private TrainEvent pending;
    private TrainEvent skipped;
    private long lastStarted = -1;
    private boolean busy;
    private boolean evaluateNextSkipped;

    private EvaluatorActor(ActorContext<Command> context, EvalSuite suite, EvalResultPublisher publisher,
                           Executor executor, ActorRef<Evaluated> listener) {
        super(context);
        this.suite = suite;
        this.publisher = publisher;
        this.executor = executor;
        this.listener = listener;
        this.every = suite.settings().everyCheckpoints();
    }

    public static Behavior<Command> create(EvalSuite suite, EvalResultPublisher publisher, Executor executor,
                                           ActorRef<Evaluated> listener) {
        return Behaviors.setup(ctx -> new EvaluatorActor(ctx, suite, publisher, executor, listener));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Evaluate.class, this::onEvaluate)
                .onMessage(EvaluateLatest.class, this::onEvaluateLatest)
                .onMessage(Done.class, this::onDone)
                .build();
    }

    private Behavior<Command> onEvaluate(Evaluate msg) {
        announced++;
        if ((announced - 1) % every != 0 && !evaluateNextSkipped) {
            if (skipped == null || msg.event().step() > skipped.step()) {
                skipped = msg.event();
            }
            return this;
        }
        evaluateNextSkipped = false;
        enqueue(msg.event());
        return this;
    }

    private Behavior<Command> onEvaluateLatest(EvaluateLatest msg) {
        if (skipped != null && skipped.step() > lastStarted && (pending == null || skipped.step() > pending.step())) {
            enqueue(skipped);
        } else {
            evaluateNextSkipped = true;
        }
        skipped = null;
        return this;
    }

    private void enqueue(TrainEvent event) {
        if (busy) {
            if (pending == null || event.step() > pending.step()) {
                pending = event;
            }
        } else {
            start(event);
        }
    }

    private void start(TrainEvent event) {
        busy = true;
        lastStarted = Math.max(lastStarted, event.step());
        if (skipped != null && skipped.step() <= event.step()) {
            skipped = null;
        }
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> evaluate(event), executor),
                (results, failure) -> new Done(event, results, failure));
    }

    private Behavior<Command> onDone(Done done) {
        busy = false;
        if (done.failure() != null) {
            getContext().getLog().warn("evaluating {} failed: {}", done.event().checkpoint(), done.failure().toString());
        } else {
            listener.tell(new Evaluated(done.event(), done.results()));
        }
        if (pending != null) {
            TrainEvent next = pending;
            pending = null;
            start(next);
        }
        return this;
    }

    private List<EvalResult> evaluate(TrainEvent event) {
        List<EvalResult> raw = suite.evaluateCheckpoint(Path.of(event.checkpoint()));
        // the event is the authority on run, step and tokens of the checkpoint it announces
        List<EvalResult> results = raw.stream().map(r -> new EvalResult(event.run(), event.checkpoint(), event.step(),
                event.tokens(), r.task(), r.metric(), r.value(), r.stderr(), r.n(), r.time())).toList();
        publisher.publish(results);
        return results;
    }
}
