package org.millrace.training;

import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.millrace.training.checkpoint.CheckpointCompatibility;
import org.millrace.training.checkpoint.CheckpointManifest;

/**
 * Owns one {@link TrainingLoop} and the thread it runs on (never the actor system's dispatcher). The
 * loop resumes from the newest checkpoint when it starts, so a restart by the supervisor after a
 * failure continues the run's lineage. Progress goes to a listener.
 */
public final class TrainerActor extends AbstractBehavior<TrainerActor.Command> {

    /** Messages of the trainer. */
    public sealed interface Command {
    }

    /** Stop after the current step (a last checkpoint is written). */
    public record Stop() implements Command {
    }

    private record LoopEnded(Throwable failure) implements Command {
    }

    /** What the trainer tells its listener. */
    public sealed interface Event {
    }

    public record Stepped(TrainingLoop.StepReport report) implements Event {
    }

    public record Checkpointed(Path checkpoint, CheckpointManifest manifest) implements Event {
    }

    /** The loop ended: by reaching max-steps or by {@link Stop}. */
    public record Finished(long step) implements Event {
    }

    /** The loop failed in a way a restart cannot mend (e.g. a checkpoint of another model); the trainer stopped. */
    public record Failed(String reason) implements Event {
    }

    private final TrainingLoop loop;
    private final Thread thread;
    private final ActorRef<Event> listener;

    private TrainerActor(ActorContext<Command> context, LoopFactory factory, ActorRef<Event> listener) {
        super(context);
        this.listener = listener;
        ActorRef<Command> self = context.getSelf();
        this.loop = factory.create(new TrainingLoop.Listener() {
            @Override
            public void onStep(TrainingLoop.StepReport report) {
                listener.tell(new Stepped(report));
            }

            @Override
            public void onCheckpoint(Path checkpoint, CheckpointManifest manifest) {
                listener.tell(new Checkpointed(checkpoint, manifest));
            }
        });
        this.thread = new Thread(() -> {
            try {
                loop.run();
                self.tell(new LoopEnded(null));
            } catch (Throwable t) {
                self.tell(new LoopEnded(t));
            }
        }, "millrace-trainer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Builds the loop of each incarnation of the actor (a fresh model, resumed from the newest checkpoint). */
    @FunctionalInterface
    public interface LoopFactory {
        TrainingLoop create(TrainingLoop.Listener listener);
    }

    public static Behavior<Command> create(LoopFactory factory, ActorRef<Event> listener) {
        return Behaviors.setup(ctx -> new TrainerActor(ctx, factory, listener));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Stop.class, m -> {
                    loop.stop();
                    return this;
                })
                .onMessage(LoopEnded.class, this::onLoopEnded)
                .onSignal(PreRestart.class, s -> stopThread())
                .onSignal(PostStop.class, s -> stopThread())
                .build();
    }

    private Behavior<Command> onLoopEnded(LoopEnded ended) {
        if (ended.failure() instanceof CheckpointCompatibility.CheckpointMismatchException mismatch) {
            listener.tell(new Failed(mismatch.getMessage()));
            return Behaviors.stopped();
        }
        if (ended.failure() != null) {
            // The supervisor restarts this actor with backoff; the new loop resumes from the last checkpoint.
            throw new TrainerFailedException("training failed at step " + loop.step() + ": " + ended.failure(), ended.failure());
        }
        listener.tell(new Finished(loop.step()));
        return Behaviors.stopped();
    }

    private Behavior<Command> stopThread() {
        loop.stop();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** The training loop failed; retriable by restarting from the last checkpoint. */
    public static final class TrainerFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TrainerFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
