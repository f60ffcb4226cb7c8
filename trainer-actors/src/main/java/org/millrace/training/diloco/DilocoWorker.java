package org.millrace.training.diloco;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.millrace.training.diloco.internal.ChunkAssembly;

/**
 * A DiLoCo worker: finds the coordinator through the receptionist, joins, and for every θ_r it receives takes H
 * inner AdamW steps on its share of the batches ({@link InnerTrainer}, on a thread of its own, never the
 * dispatcher's), then sends its delta θ_after − θ_r in chunks and in the configured encoding. Its checkpoint
 * (offsets, inner optimizer) is written every {@code checkpoint-every-rounds} rounds; parameters always come from
 * the coordinator. Spawn it as {@value #NAME} (or as a child of that name) so its path matches the large-message
 * destinations of {@link DilocoRemoting}.
 */
public final class DilocoWorker extends AbstractBehavior<DilocoWorker.Command> {

    /** The actor name the large-message destinations expect. */
    public static final String NAME = "diloco-worker";

    /** Messages of the worker. */
    public sealed interface Command {
    }

    /** One chunk of θ_round, fp32; {@code length} values in the whole vector. */
    public record Parameters(long round, int index, int count, int offset, int length, byte[] values)
            implements Command, DilocoMessage {
    }

    /** The coordinator has no θ yet: this worker's initialisation becomes θ_0. */
    public record SendInitial(ActorRef<DilocoCoordinator.Command> coordinator) implements Command, DilocoMessage {
    }

    /** The coordinator will not take this worker (e.g. another model shape); the worker stops. */
    public record Refused(String reason) implements Command, DilocoMessage {
    }

    /** Stop after the current round (its delta is sent) and close the trainer. */
    public record Stop() implements Command {
    }

    private record CoordinatorListing(Receptionist.Listing listing) implements Command {
    }

    private record Uploaded(long round, List<DilocoCoordinator.Upload> chunks, InnerTrainer.Round result, Throwable failure)
            implements Command {
    }

    /** What the worker tells its listener. */
    public sealed interface Event {
    }

    /** The worker received θ_round and starts its inner steps from it (the array is the worker's: read it only). */
    public record ParametersApplied(String workerId, long round, float[] parameters) implements Event {
    }

    /** The worker finished its inner steps of {@code round} and sent its delta. */
    public record RoundTrained(String workerId, long round, int steps, long tokens, double meanLoss, long bytesSent)
            implements Event {
    }

    private final DilocoSettings settings;
    private final InnerTrainer trainer;
    private final ActorRef<Event> listener;
    private final ExecutorService compute;
    private final ActorRef<Command> self;
    private ActorRef<DilocoCoordinator.Command> coordinator;
    private ChunkAssembly assembly;
    private float[] pending;
    private long pendingRound;
    private boolean busy;
    private boolean stopping;
    private long bytesSent;

    private DilocoWorker(ActorContext<Command> context, DilocoSettings settings, InnerTrainer trainer, ActorRef<Event> listener) {
        super(context);
        this.settings = settings;
        this.trainer = trainer;
        this.listener = listener == null ? context.getSystem().ignoreRef() : listener;
        this.self = context.getSelf();
        this.compute = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "millrace-diloco-" + trainer.workerId());
            t.setDaemon(true);
            return t;
        });
        ActorRef<Receptionist.Listing> adapter = context.messageAdapter(Receptionist.Listing.class, CoordinatorListing::new);
        context.getSystem().receptionist().tell(Receptionist.subscribe(DilocoCoordinator.KEY, adapter));
    }

    /**
     * @param trainer  the worker's model, data and inner optimizer; the worker closes it when it stops
     * @param listener gets {@link Event}s, or null
     */
    public static Behavior<Command> create(DilocoSettings settings, InnerTrainer trainer, ActorRef<Event> listener) {
        return Behaviors.setup(ctx -> new DilocoWorker(ctx, settings, trainer, listener));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(CoordinatorListing.class, this::onListing)
                .onMessage(SendInitial.class, this::onSendInitial)
                .onMessage(Parameters.class, this::onParameters)
                .onMessage(Uploaded.class, this::onUploaded)
                .onMessage(Refused.class, m -> {
                    getContext().getLog().error("DiLoCo worker {} refused by the coordinator: {}", trainer.workerId(), m.reason());
                    return Behaviors.stopped();
                })
                .onMessage(Stop.class, m -> {
                    stopping = true;
                    return busy ? this : Behaviors.stopped();
                })
                .onSignal(PostStop.class, s -> close())
                .build();
    }

    private Behavior<Command> onListing(CoordinatorListing m) {
        Set<ActorRef<DilocoCoordinator.Command>> found = m.listing().getServiceInstances(DilocoCoordinator.KEY);
        if (found.isEmpty() || found.contains(coordinator)) {
            return this;
        }
        coordinator = found.iterator().next();
        assembly = null;
        getContext().getLog().info("DiLoCo worker {} joins coordinator {}", trainer.workerId(), coordinator.path());
        coordinator.tell(new DilocoCoordinator.Join(trainer.workerId(), self, trainer.parameterCount()));
        return this;
    }

    private Behavior<Command> onSendInitial(SendInitial m) {
        getContext().pipeToSelf(CompletableFuture.supplyAsync(
                        () -> chunks(-1, DilocoCoordinator.Payload.INITIAL, trainer.parameters(), DeltaEncoding.FP32, 0, Double.NaN), compute),
                (chunks, failure) -> new Uploaded(-1, chunks, null, failure));
        busy = true;
        return this;
    }

    private Behavior<Command> onParameters(Parameters p) {
        if (assembly == null || assembly.round() != p.round()) {
            assembly = new ChunkAssembly(p.round(), p.count(), p.length());
        }
        try {
            assembly.add(p.index(), p.count(), p.offset(), DeltaEncoding.FP32, p.values());
        } catch (IllegalArgumentException e) {
            getContext().getLog().warn("DiLoCo worker {} got a bad parameter chunk of round {}: {}", trainer.workerId(), p.round(),
                    e.getMessage());
            assembly = null;
            return this;
        }
        if (!assembly.complete()) {
            return this;
        }
        pending = assembly.values();
        pendingRound = p.round();
        assembly = null;
        if (!busy) {
            startRound();
        }
        return this;
    }

    private void startRound() {
        float[] theta = pending;
        long round = pendingRound;
        pending = null;
        busy = true;
        listener.tell(new ParametersApplied(trainer.workerId(), round, theta));
        int h = settings.innerSteps();
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
            trainer.load(theta);
            InnerTrainer.Round result;
            try {
                result = trainer.train(h);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
            if (result == null) {
                return null; // stopped
            }
            if ((round + 1) % settings.checkpointEveryRounds() == 0) {
                trainer.checkpoint(round);
            }
            // fp32 sends the parameters themselves (same bytes, no rounding of θ + Δ); half floats send the delta.
            boolean exact = settings.deltaEncoding() == DeltaEncoding.FP32;
            List<DilocoCoordinator.Upload> chunks = chunks(round,
                    exact ? DilocoCoordinator.Payload.PARAMETERS : DilocoCoordinator.Payload.DELTA,
                    exact ? result.after() : result.delta(), settings.deltaEncoding(), result.tokens(), result.meanLoss());
            return new Uploaded(round, chunks, result, null);
        }, compute), (done, failure) -> failure != null ? new Uploaded(round, null, null, failure)
                : done == null ? new Uploaded(round, List.of(), null, null) : done);
    }

    private Behavior<Command> onUploaded(Uploaded u) {
        busy = false;
        if (u.failure() != null) {
            throw new IllegalStateException("DiLoCo worker " + trainer.workerId() + " failed in round " + u.round()
                    + ": " + u.failure(), u.failure());
        }
        long bytes = 0;
        if (coordinator != null) {
            for (DilocoCoordinator.Upload chunk : u.chunks()) {
                coordinator.tell(chunk);
                bytes += chunk.values().length;
            }
        }
        bytesSent += bytes;
        if (u.result() != null) {
            listener.tell(new RoundTrained(trainer.workerId(), u.round(), u.result().steps(), u.result().tokens(),
                    u.result().meanLoss(), bytesSent));
        }
        if (stopping) {
            return Behaviors.stopped();
        }
        if (pending != null) {
            startRound();
        }
        return this;
    }

    private List<DilocoCoordinator.Upload> chunks(long round, DilocoCoordinator.Payload payload, float[] vector, DeltaEncoding encoding,
                                                  long tokens, double loss) {
        int per = ChunkAssembly.valuesPerChunk(encoding, settings.chunkBytes());
        int count = ChunkAssembly.chunkCount(vector.length, per);
        List<DilocoCoordinator.Upload> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int offset = i * per;
            int n = Math.min(per, vector.length - offset);
            out.add(new DilocoCoordinator.Upload(trainer.workerId(), self, round, payload, i, count, offset,
                    vector.length, encoding, encoding.encode(vector, offset, n), tokens, loss));
        }
        return out;
    }

    private Behavior<Command> close() {
        trainer.stop();
        compute.execute(trainer::close);
        compute.shutdown();
        try {
            if (!compute.awaitTermination(60, TimeUnit.SECONDS)) {
                getContext().getLog().warn("DiLoCo worker {} did not finish its inner steps within 60 s", trainer.workerId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }
}
