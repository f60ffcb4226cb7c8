package org.millrace.training;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Wraps a trainer so that a failed loop restarts, with backoff, from the last checkpoint. */
public final class TrainerSupervisor {
    private TrainerSupervisor() {
    }

    public static Behavior<TrainerActor.Command> supervised(TrainerActor.LoopFactory factory,
                                                            ActorRef<TrainerActor.Event> listener) {
        return Behaviors.supervise(TrainerActor.create(factory, listener))
                .onFailure(TrainerActor.TrainerFailedException.class,
                        SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)
                                .withMaxRestarts(10));
    }
}
