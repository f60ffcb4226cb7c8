package org.millrace.ops.run;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.millrace.training.TrainerActor;
import org.millrace.training.TrainerSupervisor;

/**
 * The guardian of a process that runs the trainer role alone: a supervised trainer (restarted with backoff
 * from its last checkpoint when its loop fails) whose events go to an observer.
 */
public final class TrainerRole {

    /** Messages of the guardian. */
    public sealed interface Command {
    }

    /** Stop training after the current step (a last checkpoint is written). */
    public record StopTraining() implements Command {
    }

    private record FromTrainer(TrainerActor.Event event) implements Command {
    }

    private TrainerRole() {
    }

    public static Behavior<Command> create(TrainerActor.LoopFactory loops, Consumer<TrainerActor.Event> observer) {
        return Behaviors.setup(ctx -> {
            ActorRef<TrainerActor.Event> events = ctx.messageAdapter(TrainerActor.Event.class, FromTrainer::new);
            ActorRef<TrainerActor.Command> trainer = ctx.spawn(TrainerSupervisor.supervised(loops, events), "trainer");
            return Behaviors.receive(Command.class)
                    .onMessage(StopTraining.class, m -> {
                        trainer.tell(new TrainerActor.Stop());
                        return Behaviors.same();
                    })
                    .onMessage(FromTrainer.class, m -> {
                        observer.accept(m.event());
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
