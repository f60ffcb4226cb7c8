package org.millrace.training.diloco;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.millrace.training.diloco.internal.SnapshotKeeper;

/**
 * The coordinator's first phase when it keeps snapshots: it loads the latest {@link CoordinatorSnapshot} and only
 * then becomes the coordinator, with that snapshot or none. Every message meanwhile (workers joining) waits in the
 * stash, so no worker is asked for θ_0 and none gets θ before the store has answered. A failed load is tried again
 * (1 s, doubling, at most 1 min) and never taken as "no snapshot": the run would silently start over.
 */
final class CoordinatorStart {
    /** Messages kept while loading: joins and uploads of a few workers. */
    static final int STASH_CAPACITY = 10_000;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(1);

    private CoordinatorStart() {
    }

    static Behavior<DilocoCoordinator.Command> loading(ActorContext<DilocoCoordinator.Command> context,
                                                       TimerScheduler<DilocoCoordinator.Command> timers, SnapshotKeeper snapshots,
                                                       Function<Optional<CoordinatorSnapshot>, Behavior<DilocoCoordinator.Command>> then) {
        return Behaviors.withStash(STASH_CAPACITY, stash -> {
            context.pipeToSelf(snapshots.load(), DilocoCoordinator.SnapshotLoaded::new);
            return waiting(context, timers, snapshots, stash, then, FIRST_RETRY);
        });
    }

    private static Behavior<DilocoCoordinator.Command> waiting(ActorContext<DilocoCoordinator.Command> context,
                                                               TimerScheduler<DilocoCoordinator.Command> timers,
                                                               SnapshotKeeper snapshots, StashBuffer<DilocoCoordinator.Command> stash,
                                                               Function<Optional<CoordinatorSnapshot>, Behavior<DilocoCoordinator.Command>> then,
                                                               Duration retry) {
        return Behaviors.receive(DilocoCoordinator.Command.class)
                .onMessage(DilocoCoordinator.SnapshotLoaded.class, m -> {
                    if (m.failure() == null) {
                        return stash.unstashAll(then.apply(m.snapshot()));
                    }
                    context.getLog().error("DiLoCo coordinator cannot load its snapshot from {} (again in {}): {}",
                            snapshots.describe(), retry, DilocoCoordinator.cause(m.failure()).getMessage());
                    timers.startSingleTimer("load", new DilocoCoordinator.LoadAgain(), retry);
                    Duration next = retry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : retry.multipliedBy(2);
                    return waiting(context, timers, snapshots, stash, then, next);
                })
                .onMessage(DilocoCoordinator.LoadAgain.class, m -> {
                    context.pipeToSelf(snapshots.load(), DilocoCoordinator.SnapshotLoaded::new);
                    return Behaviors.same();
                })
                .onMessage(DilocoCoordinator.Command.class, m -> {
                    if (stash.isFull()) {
                        context.getLog().warn("DiLoCo coordinator still loading its snapshot; dropped {}", m.getClass().getSimpleName());
                    } else {
                        stash.stash(m);
                    }
                    return Behaviors.same();
                })
                .onSignal(PostStop.class, s -> {
                    snapshots.close();
                    return Behaviors.same();
                })
                .build();
    }
}
