package org.millrace.evaluation;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptParameters;

/**
 * Evaluates checkpoints as they are announced and publishes one result per task and metric. Scoring
 * runs on a dedicated executor, one checkpoint at a time; checkpoints announced meanwhile queue up
 * and, when several wait, only the newest is evaluated (so evaluation never falls behind for good).
 */
public final class EvaluatorActor extends AbstractBehavior<EvaluatorActor.Command> {

    /** Messages of the evaluator. */
    public sealed interface Command {
    }

    /** A checkpoint to evaluate. */
    public record Evaluate(TrainEvent event) implements Command {
    }

    private record Done(TrainEvent event, List<EvalResult> results, Throwable failure) implements Command {
    }

    /** What the evaluator tells its listener. */
    public record Evaluated(TrainEvent event, List<EvalResult> results) {
    }

    private final List<HeldOutLoss> tasks;
    private final EvalResultPublisher publisher;
    private final Executor executor;
    private final ActorRef<Evaluated> listener;
    private TrainEvent pending;
    private boolean busy;

    private EvaluatorActor(ActorContext<Command> context, List<HeldOutLoss> tasks, EvalResultPublisher publisher,
                           Executor executor, ActorRef<Evaluated> listener) {
        super(context);
        this.tasks = List.copyOf(tasks);
        this.publisher = publisher;
        this.executor = executor;
        this.listener = listener;
    }

    public static Behavior<Command> create(List<HeldOutLoss> tasks, EvalResultPublisher publisher, Executor executor,
                                           ActorRef<Evaluated> listener) {
        return Behaviors.setup(ctx -> new EvaluatorActor(ctx, tasks, publisher, executor, listener));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Evaluate.class, this::onEvaluate)
                .onMessage(Done.class, this::onDone)
                .build();
    }

    private Behavior<Command> onEvaluate(Evaluate msg) {
        if (busy) {
            if (pending == null || msg.event().step() > pending.step()) {
                pending = msg.event();
            }
        } else {
            start(msg.event());
        }
        return this;
    }

    private void start(TrainEvent event) {
        busy = true;
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
        Path checkpoint = Path.of(event.checkpoint());
        CheckpointManifest manifest = CheckpointStore.readManifest(checkpoint);
        GptConfig config = TrainingLoop.modelConfig(manifest);
        List<EvalResult> results = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt model = GptParameters.open(config, manager, TrainingLoop.parametersFile(checkpoint));
            long now = System.currentTimeMillis();
            for (HeldOutLoss task : tasks) {
                HeldOutLoss.Result r = task.evaluate(model, manager);
                Double stderr = Double.isNaN(r.lossStderr()) ? null : r.lossStderr();
                results.add(new EvalResult(event.run(), event.checkpoint(), event.step(), event.tokens(), task.name(), "loss",
                        r.loss(), stderr, r.tokens(), now));
                results.add(new EvalResult(event.run(), event.checkpoint(), event.step(), event.tokens(), task.name(),
                        "bits_per_byte", r.bitsPerByte(), null, r.tokens(), now));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot load " + checkpoint + ": " + e.getMessage(), e);
        }
        publisher.publish(results);
        return results;
    }
}
