package org.millrace.ops.run;

import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.millrace.evaluation.EvalResultPublisher;
import org.millrace.evaluation.EvaluatorActor;
import org.millrace.evaluation.EvalSuite;
import org.millrace.training.TrainerActor;
import org.millrace.training.TrainerSupervisor;

/**
 * The guardian of a single-JVM run. It only wires: a supervised trainer, an evaluator fed by checkpoint
 * events, and adapters that pass what they report to a {@link RunObserver}.
 */
public final class RunGuardian {

    /** Messages of the guardian. */
    public sealed interface Command {
    }

    /** Stop training after the current step. */
    public record StopTraining() implements Command {
    }

    /** Evaluate a checkpoint announced on the train events topic. */
    public record CheckpointAnnounced(org.millrace.common.TrainEvent event) implements Command {
    }

    /** Evaluate the newest checkpoint the every-Nth rule passed over (a run's last one). */
    public record EvaluateLatest() implements Command {
    }

    private record FromTrainer(TrainerActor.Event event) implements Command {
    }

    private record FromEvaluator(EvaluatorActor.Evaluated evaluated) implements Command {
    }

    private RunGuardian() {
    }

    public static Behavior<Command> create(TrainerActor.LoopFactory loops, EvalSuite suite,
                                           EvalResultPublisher publisher, Executor evalExecutor, RunObserver observer) {
        return Behaviors.setup(ctx -> {
            ActorRef<TrainerActor.Event> trainerEvents = ctx.messageAdapter(TrainerActor.Event.class, FromTrainer::new);
            ActorRef<EvaluatorActor.Evaluated> evalEvents = ctx.messageAdapter(EvaluatorActor.Evaluated.class, FromEvaluator::new);
            ActorRef<TrainerActor.Command> trainer = ctx.spawn(TrainerSupervisor.supervised(loops, trainerEvents), "trainer");
            ActorRef<EvaluatorActor.Command> evaluator = ctx.spawn(
                    EvaluatorActor.create(suite, publisher, evalExecutor, evalEvents), "evaluator");
            return Behaviors.receive(Command.class)
                    .onMessage(StopTraining.class, m -> {
                        trainer.tell(new TrainerActor.Stop());
                        return Behaviors.same();
                    })
                    .onMessage(CheckpointAnnounced.class, m -> {
                        evaluator.tell(new EvaluatorActor.Evaluate(m.event()));
                        return Behaviors.same();
                    })
                    .onMessage(EvaluateLatest.class, m -> {
                        evaluator.tell(new EvaluatorActor.EvaluateLatest());
                        return Behaviors.same();
                    })
                    .onMessage(FromTrainer.class, m -> {
                        observer.onTrainer(m.event());
                        return Behaviors.same();
                    })
                    .onMessage(FromEvaluator.class, m -> {
                        observer.onEvaluated(m.evaluated());
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
