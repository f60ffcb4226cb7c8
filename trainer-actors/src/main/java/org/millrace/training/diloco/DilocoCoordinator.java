package org.millrace.training.diloco;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.millrace.training.diloco.internal.ChunkAssembly;
import org.millrace.training.diloco.internal.OuterNesterov;
import org.millrace.training.diloco.internal.RoundSums;
import org.millrace.training.diloco.internal.SnapshotKeeper;

/**
 * The DiLoCo coordinator: holds the global parameters θ and the outer Nesterov optimizer, and runs rounds. In
 * round r every worker present has θ_r; each takes H inner steps and sends its delta Δ = θ_worker − θ_r; when
 * every worker of the round has sent it (or has left), the coordinator averages the deltas it got, takes the outer
 * step and sends θ_{r+1} to every worker present. A worker that joins mid-round gets θ_r at once and counts in
 * that round; one that stops, whose node becomes unreachable, or whose delta does not come within
 * {@code round-timeout}, is dropped from the average (and from the members; a late delta re-admits it).
 *
 * <p>The first worker to join provides θ_0 (its seeded initialisation). Parameters go out in fp32, deltas come in
 * the worker's encoding, both in chunks of at most {@code chunk-bytes}. Registers under {@link #KEY} with the
 * receptionist, so workers find it in one ActorSystem or across a cluster (run it as a Cluster Singleton there).
 *
 * <p>With a {@link SnapshotStore} it writes a {@link CoordinatorSnapshot} (θ, the outer momentum, the round) after
 * every {@code snapshotEveryRounds} completed rounds, and on start it first loads the latest one: if there is one
 * it goes on at the next round from that θ and momentum instead of asking a worker for θ_0. So a coordinator that
 * moves to another node (a Cluster Singleton whose node left) continues the run where it was.
 */
public final class DilocoCoordinator extends AbstractBehavior<DilocoCoordinator.Command> {

    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "millrace-diloco-coordinator");

    /** Messages of the coordinator. */
    public sealed interface Command {
    }

    /** A worker offers itself; {@code parameterCount} must match the model's. */
    public record Join(String workerId, ActorRef<DilocoWorker.Command> worker, int parameterCount)
            implements Command, DilocoMessage {
    }

    /** What an {@link Upload} carries. */
    public enum Payload {
        /** The worker's initialisation, to become θ_0. */
        INITIAL,
        /** The worker's parameters after the round (fp32: exact, and the same bytes as an fp32 delta). */
        PARAMETERS,
        /** The worker's θ_after − θ_round, in a half-float encoding (small numbers keep more precision as deltas). */
        DELTA
    }

    /**
     * One chunk of a worker's vector of {@code round}.
     *
     * @param length  values in the whole vector
     * @param tokens  tokens the worker trained on in the round
     * @param loss    the worker's mean training loss over the round
     */
    public record Upload(String workerId, ActorRef<DilocoWorker.Command> worker, long round, Payload payload, int index,
                         int count, int offset, int length, DeltaEncoding encoding, byte[] values, long tokens, double loss)
            implements Command, DilocoMessage {
    }

    /** The current θ (local use only: the vector is not chunked). */
    public record GetParameters(ActorRef<CurrentParameters> replyTo) implements Command {
    }

    public record CurrentParameters(long round, float[] values) {
    }

    private record WorkerTerminated(ActorRef<DilocoWorker.Command> worker) implements Command {
    }

    private record RoundTimedOut(long round) implements Command {
    }

    private record Reachability(ClusterEvent.ReachabilityEvent event) implements Command {
    }

    record SnapshotLoaded(Optional<CoordinatorSnapshot> snapshot, Throwable failure) implements Command {
    }

    record LoadAgain() implements Command {
    }

    private record SnapshotWritten(CoordinatorSnapshot snapshot, SnapshotKeeper.Saved saved, Throwable failure) implements Command {
    }

    /** What the coordinator tells its listener. */
    public sealed interface Event {
    }

    public record WorkerJoined(String workerId, long round) implements Event {
    }

    public record WorkerDropped(String workerId, long round, String reason) implements Event {
    }

    /**
     * @param round          the round completed (θ_{round+1} has gone out)
     * @param contributors   workers whose deltas were averaged
     * @param bytesReceived  payload bytes received since the start (θ_0 and deltas)
     * @param bytesSent      payload bytes of parameters sent since the start
     */
    public record RoundCompleted(long round, List<String> contributors, long tokens, double meanLoss, long bytesReceived,
                                 long bytesSent) implements Event {
    }

    /** The coordinator started from {@code snapshot} (read it only): its next round is {@code snapshot.round() + 1}. */
    public record Resumed(CoordinatorSnapshot snapshot, String store) implements Event {
    }

    /** A snapshot is stored (read it only); {@code bytes} written in {@code took}. */
    public record SnapshotSaved(CoordinatorSnapshot snapshot, long bytes, Duration took) implements Event {
    }

    private final DilocoSettings settings;
    private final ActorRef<Event> listener;
    private final TimerScheduler<Command> timers;
    private final Map<ActorRef<DilocoWorker.Command>, String> members = new LinkedHashMap<>();
    private final Set<ActorRef<DilocoWorker.Command>> participants = new LinkedHashSet<>();
    private final Map<ActorRef<DilocoWorker.Command>, ChunkAssembly> incoming = new HashMap<>();
    private final Set<ActorRef<DilocoWorker.Command>> contributed = new LinkedHashSet<>();
    private ActorRef<DilocoWorker.Command> initialFrom;
    private float[] parameters; // (P) θ_r
    private OuterNesterov outer;
    private long round;
    private RoundSums sums;
    private long bytesReceived;
    private long bytesSent;
    private final SnapshotKeeper snapshots;
    private final int snapshotEveryRounds;
    private boolean saving;
    private CoordinatorSnapshot unsaved;

    /** With snapshots, after {@link CoordinatorStart} has loaded the latest one ({@code resumed}) or found none. */
    private DilocoCoordinator(ActorContext<Command> context, TimerScheduler<Command> timers, DilocoSettings settings,
                              ActorRef<Event> listener, SnapshotKeeper snapshots, int snapshotEveryRounds,
                              Optional<CoordinatorSnapshot> resumed) {
        super(context);
        this.settings = settings;
        this.timers = timers;
        this.listener = listener == null ? context.getSystem().ignoreRef() : listener;
        this.snapshots = snapshots;
        this.snapshotEveryRounds = snapshotEveryRounds;
        resumed.ifPresent(this::resume);
        if (snapshots != null && resumed.isEmpty()) {
            context.getLog().info("DiLoCo coordinator: no snapshot in {}; θ_0 comes from the first worker", snapshots.describe());
        }
        context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
        if (isCluster(context)) {
            ActorRef<ClusterEvent.ReachabilityEvent> adapter =
                    context.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new);
            Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(adapter, ClusterEvent.ReachabilityEvent.class));
        }
    }

    /**
     * @param listener gets {@link Event}s, or null
     */
    public static Behavior<Command> create(DilocoSettings settings, ActorRef<Event> listener) {
        return create(settings, listener, null, 1);
    }

    /**
     * @param listener            gets {@link Event}s, or null
     * @param store               where snapshots go and the start looks for one, or null for none; the coordinator
     *                            closes it when it stops
     * @param snapshotEveryRounds a snapshot after every this many completed rounds
     */
    public static Behavior<Command> create(DilocoSettings settings, ActorRef<Event> listener, SnapshotStore store,
                                           int snapshotEveryRounds) {
        if (snapshotEveryRounds < 1) {
            throw new IllegalArgumentException("millrace.diloco.snapshots.every-rounds must be >= 1 (got " + snapshotEveryRounds + ")");
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            if (store == null) {
                return new DilocoCoordinator(ctx, timers, settings, listener, null, snapshotEveryRounds, Optional.empty());
            }
            SnapshotKeeper snapshots = new SnapshotKeeper(store);
            return CoordinatorStart.loading(ctx, timers, snapshots,
                    resumed -> new DilocoCoordinator(ctx, timers, settings, listener, snapshots, snapshotEveryRounds, resumed));
        }));
    }

    private static boolean isCluster(ActorContext<?> context) {
        String provider = context.getSystem().settings().config().getString("pekko.actor.provider");
        return provider.equals("cluster") || provider.endsWith("ClusterActorRefProvider");
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Join.class, this::onJoin)
                .onMessage(Upload.class, this::onUpload)
                .onMessage(GetParameters.class, m -> {
                    m.replyTo().tell(new CurrentParameters(round, parameters == null ? null : parameters.clone()));
                    return this;
                })
                .onMessage(WorkerTerminated.class, m -> drop(m.worker(), "it stopped"))
                .onMessage(RoundTimedOut.class, this::onTimeout)
                .onMessage(Reachability.class, this::onReachability)
                .onMessage(SnapshotWritten.class, this::onSnapshotWritten)
                .onSignal(PostStop.class, s -> {
                    if (snapshots != null) {
                        snapshots.close();
                    }
                    return this;
                })
                .build();
    }

    private Behavior<Command> onJoin(Join join) {
        if (parameters != null && join.parameterCount() != parameters.length) {
            refuse(join);
            return this;
        }
        admit(join.workerId(), join.worker());
        return this;
    }

    private void refuse(Join join) {
        String reason = "the worker's model has " + join.parameterCount() + " parameters, the run's has " + parameters.length;
        getContext().getLog().warn("DiLoCo worker {} refused: {}", join.workerId(), reason);
        join.worker().tell(new DilocoWorker.Refused(reason));
    }

    private void admit(String workerId, ActorRef<DilocoWorker.Command> worker) {
        if (members.put(worker, workerId) == null) {
            getContext().watchWith(worker, new WorkerTerminated(worker));
        }
        getContext().getLog().info("DiLoCo worker {} joins in round {} ({} present)", workerId, round, members.size());
        listener.tell(new WorkerJoined(workerId, round));
        if (parameters == null) {
            if (initialFrom == null) {
                initialFrom = worker;
                worker.tell(new DilocoWorker.SendInitial(getContext().getSelf()));
            }
            return;
        }
        if (participants.isEmpty()) {
            startRound(); // the first worker of an idle round: it starts from θ_r
        } else if (participants.add(worker)) {
            send(worker, chunks());
        }
    }

    private Behavior<Command> onUpload(Upload u) {
        if (!members.containsKey(u.worker())) {
            if (!(u.payload() == Payload.INITIAL) && parameters != null && u.length() == parameters.length) {
                getContext().getLog().info("DiLoCo worker {} was dropped; its delta of round {} re-admits it", u.workerId(), u.round());
                admit(u.workerId(), u.worker());
            }
            return this;
        }
        if ((u.payload() == Payload.INITIAL)) {
            if (parameters == null && u.worker().equals(initialFrom)) {
                ChunkAssembly a = incoming.computeIfAbsent(u.worker(), w -> new ChunkAssembly(-1, u.count(), u.length()));
                if (!add(a, u)) {
                    return this;
                }
                bytesReceived += u.values().length;
                if (a.complete()) {
                    incoming.remove(u.worker());
                    parameters = a.values();
                    outer = new OuterNesterov(parameters.length, settings.outerLearningRate(), settings.outerMomentum());
                    getContext().getLog().info("DiLoCo θ_0 ({} parameters) from worker {}", parameters.length, u.workerId());
                    startRound();
                }
            }
            return this;
        }
        if (u.round() != round || !participants.contains(u.worker()) || parameters == null || u.length() != parameters.length) {
            return this; // a stale round's chunk
        }
        ChunkAssembly a = incoming.computeIfAbsent(u.worker(), w -> new ChunkAssembly(round, u.count(), u.length()));
        if (!add(a, u)) {
            return this;
        }
        bytesReceived += u.values().length;
        if (a.complete()) {
            incoming.remove(u.worker());
            sums.add(u.workerId(), u.payload() == Payload.DELTA, a.values(), u.tokens(), u.loss());
            contributed.add(u.worker());
            finishRoundIfComplete();
        }
        return this;
    }

    /** Adds a chunk; a chunk that does not fit its vector discards what the worker sent of it (it stays in the round). */
    private boolean add(ChunkAssembly a, Upload u) {
        try {
            a.add(u.index(), u.count(), u.offset(), u.encoding(), u.values());
            return true;
        } catch (IllegalArgumentException e) {
            getContext().getLog().warn("DiLoCo worker {} sent a bad chunk for round {}: {}", u.workerId(), u.round(), e.getMessage());
            incoming.remove(u.worker());
            return false;
        }
    }

    private Behavior<Command> onTimeout(RoundTimedOut t) {
        if (t.round() != round) {
            return this;
        }
        for (ActorRef<DilocoWorker.Command> w : List.copyOf(participants)) {
            if (!contributed.contains(w)) {
                drop(w, "no delta within " + settings.roundTimeout());
            }
        }
        return this;
    }

    private Behavior<Command> onReachability(Reachability r) {
        if (r.event() instanceof ClusterEvent.UnreachableMember u) {
            Address address = u.member().address();
            for (ActorRef<DilocoWorker.Command> w : List.copyOf(members.keySet())) {
                if (w.path().address().equals(address)) {
                    drop(w, "its node " + address + " is unreachable");
                }
            }
        }
        return this;
    }

    private Behavior<Command> drop(ActorRef<DilocoWorker.Command> worker, String reason) {
        String id = members.remove(worker);
        if (id == null) {
            return this;
        }
        getContext().unwatch(worker);
        participants.remove(worker);
        incoming.remove(worker);
        getContext().getLog().info("DiLoCo dropped worker {} from round {}: {} ({} present)", id, round, reason, members.size());
        listener.tell(new WorkerDropped(id, round, reason));
        if (worker.equals(initialFrom) && parameters == null) {
            initialFrom = null;
            members.keySet().stream().findFirst().ifPresent(next -> {
                initialFrom = next;
                next.tell(new DilocoWorker.SendInitial(getContext().getSelf()));
            });
        }
        finishRoundIfComplete();
        return this;
    }

    private void finishRoundIfComplete() {
        if (parameters == null || sums == null || participants.isEmpty() && sums.isEmpty()) {
            return;
        }
        for (ActorRef<DilocoWorker.Command> w : participants) {
            if (!contributed.contains(w)) {
                return;
            }
        }
        if (sums.isEmpty()) {
            return;
        }
        sums.applyOuterStep(outer, parameters);
        listener.tell(new RoundCompleted(round, sums.contributors(), sums.tokens(), sums.meanLoss(), bytesReceived, bytesSent));
        round++;
        if (snapshots != null && round % snapshotEveryRounds == 0) {
            save(new CoordinatorSnapshot(round - 1, parameters.clone(), outer.buffer().clone(), outer.steps(),
                    settings.outerLearningRate(), settings.outerMomentum()));
        }
        startRound();
    }

    /** Goes on from a snapshot: θ, the outer momentum and the round after the snapshot's. */
    private void resume(CoordinatorSnapshot s) {
        parameters = s.parameters().clone();
        outer = new OuterNesterov(s.momentum(), s.outerSteps(), settings.outerLearningRate(), settings.outerMomentum());
        round = s.round() + 1;
        if (s.outerLearningRate() != settings.outerLearningRate() || s.outerMomentum() != settings.outerMomentum()) {
            getContext().getLog().warn("DiLoCo snapshot of round {} was made with outer lr {} and momentum {}; going on with the settings' "
                    + "lr {} and momentum {} and the saved momentum buffer", s.round(), s.outerLearningRate(), s.outerMomentum(),
                    settings.outerLearningRate(), settings.outerMomentum());
        }
        getContext().getLog().info("DiLoCo coordinator resumed at round {} from snapshot of round {} in {} ({} parameters, {} outer steps)",
                round, s.round(), snapshots.describe(), parameters.length, s.outerSteps());
        listener.tell(new Resumed(s, snapshots.describe()));
    }

    /** One write at a time; while one is on its way only the newest snapshot waits (older ones are superseded). */
    private void save(CoordinatorSnapshot snapshot) {
        if (saving) {
            unsaved = snapshot;
            return;
        }
        saving = true;
        getContext().pipeToSelf(snapshots.save(snapshot), (saved, failure) -> new SnapshotWritten(snapshot, saved, failure));
    }

    private Behavior<Command> onSnapshotWritten(SnapshotWritten m) {
        saving = false;
        if (m.failure() != null) {
            // The run goes on: the next snapshot replaces this one, and a move meanwhile resumes from the one before.
            getContext().getLog().warn("DiLoCo coordinator could not write the snapshot of round {} to {}: {}", m.snapshot().round(),
                    snapshots.describe(), cause(m.failure()).getMessage());
        } else {
            getContext().getLog().debug("DiLoCo snapshot of round {} written to {}: {} bytes in {} ms", m.snapshot().round(),
                    snapshots.describe(), m.saved().bytes(), m.saved().nanos() / 1_000_000);
            listener.tell(new SnapshotSaved(m.snapshot(), m.saved().bytes(), Duration.ofNanos(m.saved().nanos())));
        }
        if (unsaved != null) {
            CoordinatorSnapshot next = unsaved;
            unsaved = null;
            save(next);
        }
        return this;
    }

    /** The failure inside a future's {@code CompletionException}. */
    static Throwable cause(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Sends θ_r to every worker present; they are the round's participants. */
    private void startRound() {
        participants.clear();
        contributed.clear();
        incoming.clear();
        sums = new RoundSums(parameters.length);
        if (members.isEmpty()) {
            timers.cancel("round");
            return; // idle until a worker joins
        }
        List<DilocoWorker.Parameters> chunks = chunks();
        for (ActorRef<DilocoWorker.Command> w : members.keySet()) {
            participants.add(w);
            send(w, chunks);
        }
        timers.startSingleTimer("round", new RoundTimedOut(round), settings.roundTimeout());
    }

    private void send(ActorRef<DilocoWorker.Command> worker, List<DilocoWorker.Parameters> chunks) {
        for (DilocoWorker.Parameters p : chunks) {
            worker.tell(p);
            bytesSent += p.values().length;
        }
    }

    private List<DilocoWorker.Parameters> chunks() {
        return ChunkAssembly.parameterChunks(round, parameters, settings.chunkBytes());
    }
}
