package org.millrace.ops.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;
import org.millrace.processing.tokenizer.Tokenizers;
import org.millrace.training.TrainerSettings;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.diloco.DilocoCoordinator;
import org.millrace.training.diloco.DilocoSettings;
import org.millrace.training.diloco.DilocoWorker;
import org.millrace.training.diloco.InnerTrainer;
import org.millrace.training.diloco.SnapshotSettings;
import org.millrace.training.feed.BatchFeed;
import org.millrace.training.feed.PartitionShare;
import org.millrace.training.model.GptTrainer;

/**
 * DiLoCo on a cluster, when {@code millrace.diloco.enabled}: on every train node, the coordinator as the Cluster
 * Singleton {@link ClusterSingletons#DILOCO_COORDINATOR} (it runs on the oldest train node) and one
 * {@link DilocoWorker} on the node's share of the batch partitions ({@code millrace.diloco.worker-index} of
 * {@code millrace.diloco.workers}), its checkpoint under {@code <data-dir>/diloco}. Both actors' paths are among
 * the large-message destinations {@link org.millrace.training.diloco.DilocoRemoting} adds to the node's config.
 * With {@code millrace.diloco.snapshots.enabled} the coordinator keeps its snapshots (θ, outer momentum, round) on a
 * Kafka topic ({@link KafkaSnapshotStore}), so when the singleton moves to another train node it resumes there.
 * Progress goes to the node's output: one line per round completed (on the coordinator's node) and per round
 * a worker trained.
 */
public final class DilocoComponent implements NodeComponent {
    /** The node's guardian of the worker; the worker is its child {@value DilocoWorker#NAME}. */
    static final String GUARDIAN = "millrace-diloco";

    @Override
    public Set<NodeRole> roles() {
        return Set.of(NodeRole.TRAIN);
    }

    @Override
    public AutoCloseable start(NodeContext c) {
        if (!c.config().getBoolean("millrace.diloco.enabled")) {
            return () -> { };
        }
        if (c.config().getBoolean("millrace.cluster.train.built-in")) {
            System.out.println("millrace node: millrace.diloco.enabled with millrace.cluster.train.built-in on: "
                    + "the plain trainer trains on this node too (turn it off for DiLoCo alone)");
        }
        DilocoSettings settings = DilocoSettings.fromConfig(c.config());
        int workers = Settings.positiveInt(c.config(), "millrace.diloco.workers");
        int index = Settings.nonNegativeInt(c.config(), "millrace.diloco.worker-index");
        if (index >= workers) {
            throw Settings.invalid(c.config(), "millrace.diloco.worker-index", index,
                    "must be below millrace.diloco.workers (" + workers + ")");
        }
        SnapshotSettings snapshots = SnapshotSettings.fromConfig(c.config());
        c.singleton(new ClusterSingletons.Spec<>(ClusterSingletons.DILOCO_COORDINATOR, NodeRole.TRAIN,
                coordinator(settings, snapshots, c.kafka()), null));

        PartitionShare share = new PartitionShare(index, workers); // the feed fetches only these partitions
        TrainerSettings trainer = TrainerSettings.fromConfig(c.config());
        Tokenizer tokenizer = Tokenizers.fromConfig(c.config(), c.dataDir());
        Map<String, String> topicOfBucket = new LinkedHashMap<>();
        c.topics().buckets().forEach(b -> topicOfBucket.put(b, c.topics().batches(b)));
        boolean repeat = trainer.curriculum().onDry() == DryPolicy.REPEAT;
        Path checkpoints = c.dataDir().resolve("diloco");
        InnerTrainer inner = new InnerTrainer(c.nodeId(), GptTrainer.fromConfig(c.config(), tokenizer.vocabSize()),
                start -> new BatchFeed(c.kafka(), topicOfBucket, start, trainer.prefetch(), repeat, trainer.dryWait(),
                        share),
                new CurriculumScheduler(trainer.curriculum(), c.topics().buckets(), trainer.seed()), checkpoints);
        AtomicReference<ActorRef<DilocoWorker.Command>> worker = new AtomicReference<>();
        Behavior<DilocoWorker.Event> guardian = Behaviors.setup(ctx -> {
            worker.set(ctx.spawn(DilocoWorker.create(settings, inner, ctx.getSelf()), DilocoWorker.NAME));
            System.out.println("millrace node: diloco worker at " + worker.get().path().toStringWithoutAddress());
            return Behaviors.receiveMessage(event -> {
                if (event instanceof DilocoWorker.RoundTrained t) {
                    System.out.printf("millrace node: diloco worker %s trained round %d (%d steps, %d tokens, loss %.4f, %d bytes sent)%n",
                            t.workerId(), t.round(), t.steps(), t.tokens(), t.meanLoss(), t.bytesSent());
                }
                return Behaviors.same();
            });
        });
        c.system().systemActorOf(guardian, GUARDIAN, Props.empty());
        System.out.println("millrace node: diloco worker " + c.nodeId() + " started (" + share
                + ", H = " + settings.innerSteps() + ", checkpoints in " + checkpoints + ")");
        return () -> {
            ActorRef<DilocoWorker.Command> w = worker.get();
            if (w != null) {
                w.tell(new DilocoWorker.Stop()); // it sends the current round's delta, then closes its trainer
            }
        };
    }

    /**
     * The coordinator, with a child that prints its events to the node's output. Its snapshot store is made when the
     * singleton starts on this node (each start gets its own, and the coordinator closes it when it stops).
     */
    private static Behavior<DilocoCoordinator.Command> coordinator(DilocoSettings settings, SnapshotSettings snapshots,
                                                                    Map<String, Object> kafka) {
        return Behaviors.setup(ctx -> {
            ActorRef<DilocoCoordinator.Event> printer = ctx.spawn(Behaviors.receiveMessage(DilocoComponent::print), "events");
            System.out.println("millrace node: diloco coordinator at " + ctx.getSelf().path().toStringWithoutAddress()
                    + (snapshots.enabled() ? " (snapshots every " + snapshots.everyRounds() + " rounds on " + snapshots.topic() + ")" : ""));
            KafkaSnapshotStore store = snapshots.enabled() ? new KafkaSnapshotStore(kafka, snapshots.topic(), settings.chunkBytes()) : null;
            return DilocoCoordinator.create(settings, printer, store, snapshots.everyRounds());
        });
    }

    private static Behavior<DilocoCoordinator.Event> print(DilocoCoordinator.Event event) {
        if (event instanceof DilocoCoordinator.RoundCompleted r) {
            System.out.printf("millrace node: diloco round %d completed by %s (%d tokens, loss %.4f, %d bytes received, %d bytes sent)%n",
                    r.round(), r.contributors(), r.tokens(), r.meanLoss(), r.bytesReceived(), r.bytesSent());
        } else if (event instanceof DilocoCoordinator.WorkerJoined j) {
            System.out.println("millrace node: diloco worker " + j.workerId() + " joined in round " + j.round());
        } else if (event instanceof DilocoCoordinator.Resumed r) {
            System.out.println("millrace node: diloco coordinator resumed at round " + (r.snapshot().round() + 1) + " from the snapshot in "
                    + r.store());
        } else if (event instanceof DilocoCoordinator.WorkerDropped d) {
            System.out.println("millrace node: diloco worker " + d.workerId() + " dropped in round " + d.round() + ": " + d.reason());
        }
        return Behaviors.same();
    }
}
