package org.millrace.ops.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.TokenBatch;
import org.millrace.ops.OneBroker;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.training.curriculum.CurriculumScheduler;
import org.millrace.training.curriculum.CurriculumSettings;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.diloco.CoordinatorSnapshot;
import org.millrace.training.diloco.DeltaEncoding;
import org.millrace.training.diloco.DilocoCoordinator;
import org.millrace.training.diloco.DilocoSettings;
import org.millrace.training.diloco.DilocoWorker;
import org.millrace.training.diloco.InnerTrainer;
import org.millrace.training.feed.BatchSource;
import org.millrace.training.feed.FedBatch;
import org.millrace.training.feed.InMemoryBatches;
import org.millrace.training.model.ComputeSettings;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptTrainer;
import org.millrace.training.optim.OptimizerSettings;

/**
 * The DiLoCo coordinator's state survives its ActorSystem, through a real broker: a coordinator with one worker runs
 * some rounds and snapshots them to a Kafka topic; its system terminates; a new coordinator in a new system on the same
 * topic resumes at the next round with θ and the outer momentum bit for bit as they were, and the rounds after it are
 * those of a run that never stopped (one worker, fp32, the paper's outer step so the momentum matters).
 */
@ExtendWith(OneBroker.class)
class DilocoCoordinatorSnapshotTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BUCKET = "web";
    private static final GptConfig MODEL = new GptConfig(ByteTokenizer.END_OF_TEXT + 1, 16, 32, 1, 2, 0.0, true);
    private static final int H = 2;
    private static final int BEFORE_MOVE = 3; // rounds the first coordinator completes
    private static final int ROUNDS = 6;      // rounds of the run that never stops
    private static final DilocoSettings SETTINGS = new DilocoSettings(H, 0.7, 0.9, DeltaEncoding.FP32, 8 * 1024,
            Duration.ofMinutes(5), 1); // 8 KiB chunks: θ is several chunks; a worker checkpoint every round

    private static Map<String, Object> kafka;
    private static List<TokenBatch> batches;

    @BeforeAll
    static void setUp(EmbeddedKafkaBroker broker) {
        kafka = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        batches = new ArrayList<>();
        int len = MODEL.contextLength() + 1;
        for (int b = 0; b < ROUNDS * H; b++) {
            int[] tokens = new int[2 * len];
            List<TokenBatch.RowSpans> rows = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < len; c++) {
                    tokens[r * len + c] = 'a' + (b * 5 + r * 3 + c * (b % 3 + 1)) % 26; // letters in a pattern per batch
                }
                rows.add(new TokenBatch.RowSpans(len, List.of("doc-" + b + "-" + r), new int[] {0}, List.of("test")));
            }
            batches.add(new TokenBatch("batch-" + b, BUCKET, ByteTokenizer.NAME, MODEL.contextLength(), tokens, rows));
        }
    }

    @Test
    void aNewCoordinatorResumesFromTheLastSnapshotAsIfItHadNeverStopped(@TempDir Path dir) throws Exception {
        // The run that never stops: θ_r of every round (as its worker got it) and its last snapshot. Every run's worker
        // gets batches for its rounds only, then waits: nothing runs on while the test reads or terminates. (Rounds
        // this short outrun the snapshots: while one is written only the newest waits, so not every round has one;
        // the last round's always does.)
        Run reference = new Run("reference", "diloco-snapshots-reference", dir.resolve("reference"), ROUNDS * H);
        Map<Long, float[]> referenceTheta = reference.thetaUpTo(ROUNDS);
        CoordinatorSnapshot referenceLast = reference.snapshotsUpTo(ROUNDS - 1).get((long) ROUNDS - 1);
        reference.terminate();

        // The coordinator that moves: its worker gets batches for BEFORE_MOVE rounds only and then waits, so the last
        // snapshot (round BEFORE_MOVE - 1) and the worker's last checkpoint are of the same round when the system goes.
        String topic = "diloco-snapshots-moved";
        Run first = new Run("first", topic, dir.resolve("moved"), BEFORE_MOVE * H);
        CoordinatorSnapshot last = first.snapshotsUpTo(BEFORE_MOVE - 1).get((long) BEFORE_MOVE - 1);
        first.terminate();
        assertArrayEquals(bits(referenceTheta.get((long) BEFORE_MOVE)), bits(last.parameters()), "θ of the first coordinator's last snapshot");

        // A new system and coordinator on the same topic, the worker restarted from its checkpoint.
        Run second = new Run("second", topic, dir.resolve("moved"), (ROUNDS - BEFORE_MOVE) * H);
        try {
            DilocoCoordinator.Resumed resumed = second.next(DilocoCoordinator.Resumed.class, r -> true);
            assertBitsEqual(last, resumed.snapshot(), "the snapshot the new coordinator resumed from");
            DilocoWorker.ParametersApplied firstApplied = second.next(DilocoWorker.ParametersApplied.class, p -> true);
            assertEquals(BEFORE_MOVE, firstApplied.round(), "the new coordinator's first round is the one after the snapshot");
            assertArrayEquals(bits(last.parameters()), bits(firstApplied.parameters()), "the worker gets the snapshot's θ");
            Map<Long, float[]> after = second.thetaUpTo(ROUNDS);
            for (long r = BEFORE_MOVE + 1; r <= ROUNDS; r++) {
                assertArrayEquals(bits(referenceTheta.get(r)), bits(after.get(r)), "θ_" + r + " after the move");
            }
            // The outer momentum went on from the snapshot: the last one equals the run's that never stopped.
            assertBitsEqual(referenceLast, second.snapshotsUpTo(ROUNDS - 1).get((long) ROUNDS - 1), "the last snapshot after the move");
            assertFalse(java.util.Arrays.equals(referenceTheta.get(0L), after.get((long) ROUNDS)), "training moved θ");
        } finally {
            second.terminate();
        }
    }

    @Test
    void snapshotsInDefaultChunksRoundTripThroughTheTopic() {
        int chunkBytes = 1 << 20; // chunk-bytes' default: a full chunk is above the broker's default max.message.bytes (1 MB)
        try (KafkaSnapshotStore store = new KafkaSnapshotStore(kafka, "diloco-snapshots-tiny", chunkBytes)) {
            assertTrue(store.latest().isEmpty(), "a new topic holds no snapshot");
            CoordinatorSnapshot written = null;
            for (long round = 0; round < 3; round++) {
                // the tiny preset with the byte vocabulary (one chunk per vector), then a model with full 1 MiB chunks
                int parameters = round < 2 ? 124_736 : 300_000;
                written = randomSnapshot(round, parameters);
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                long bytes = store.write(written);
                System.out.printf("snapshot of %,d parameters (round %d): %,d bytes in %.1f ms (%.1f ms CPU on the writing thread)%n",
                        parameters, round, bytes, (System.nanoTime() - start) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
                assertTrue(bytes > 2L * parameters * Float.BYTES, bytes + " bytes");
            }
            long start = System.nanoTime();
            CoordinatorSnapshot read = store.latest().orElseThrow();
            System.out.printf("latest snapshot read in %.1f ms%n", (System.nanoTime() - start) / 1e6);
            assertBitsEqual(written, read, "the latest of three snapshots");
        }
    }

    @Test
    void aCoordinatorThatWasTakenOverCanNoLongerWriteSnapshots() {
        String topic = "diloco-snapshots-fenced";
        try (KafkaSnapshotStore old = new KafkaSnapshotStore(kafka, topic, 8 * 1024);
             KafkaSnapshotStore next = new KafkaSnapshotStore(kafka, topic, 8 * 1024)) {
            CoordinatorSnapshot first = randomSnapshot(4, 3000);
            old.write(first);
            assertBitsEqual(first, next.latest().orElseThrow(), "what the new coordinator loads"); // it fences the old one
            CoordinatorSnapshot stale = randomSnapshot(5, 3000);
            String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> old.write(stale)).getMessage();
            assertTrue(message.contains("another DiLoCo coordinator writes the snapshots of " + topic), message);
            assertBitsEqual(first, next.latest().orElseThrow(), "the stale coordinator's snapshot is not visible");
            CoordinatorSnapshot second = randomSnapshot(5, 3000);
            next.write(second);
            assertBitsEqual(second, next.latest().orElseThrow(), "the new coordinator's own snapshot");
        }
    }

    private static CoordinatorSnapshot randomSnapshot(long round, int n) {
        java.util.Random random = new java.util.Random(round);
        float[] theta = new float[n];
        float[] momentum = new float[n];
        for (int i = 0; i < n; i++) {
            theta[i] = (float) random.nextGaussian() * 0.02f;
            momentum[i] = (float) random.nextGaussian() * 1e-3f;
        }
        return new CoordinatorSnapshot(round, theta, momentum, round + 1, 1.0, 0.5);
    }

    /** One ActorSystem with a coordinator on a snapshot topic and one worker; their events in a queue. */
    private static final class Run {
        private final ActorSystem<Void> system;
        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final Map<Long, float[]> theta = new TreeMap<>();
        private final Map<Long, CoordinatorSnapshot> snapshots = new TreeMap<>();

        Run(String name, String topic, Path checkpoints, int batchLimit) {
            Config config = ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load());
            system = ActorSystem.create(Behaviors.empty(), "diloco-" + name, config);
            ActorRef<Object> sink = system.systemActorOf(Behaviors.receiveMessage(e -> {
                events.add(e);
                return Behaviors.same();
            }), "events", Props.empty());
            system.systemActorOf(DilocoCoordinator.create(SETTINGS, sink.narrow(), new KafkaSnapshotStore(kafka, topic,
                    SETTINGS.chunkBytes()), 1), "diloco-coordinator", Props.empty());
            CurriculumScheduler curriculum = new CurriculumScheduler(CurriculumSettings.uniform(List.of(BUCKET), DryPolicy.REPEAT),
                    List.of(BUCKET), 11);
            GptTrainer trainer = GptTrainer.create(MODEL, OptimizerSettings.constant(3e-3), new ComputeSettings("cpu", 1, 5));
            InnerTrainer inner = new InnerTrainer("w", trainer,
                    start -> new Limited(new InMemoryBatches(Map.of(BUCKET, batches), start), batchLimit), curriculum, checkpoints);
            system.systemActorOf(DilocoWorker.create(SETTINGS, inner, sink.narrow()), DilocoWorker.NAME, Props.empty());
        }

        /** θ_r as the worker applied it, for every round up to {@code round}. */
        Map<Long, float[]> thetaUpTo(long round) throws InterruptedException {
            while (!theta.containsKey(round)) {
                next(DilocoWorker.ParametersApplied.class, p -> true);
            }
            return theta;
        }

        Map<Long, CoordinatorSnapshot> snapshotsUpTo(long round) throws InterruptedException {
            while (!snapshots.containsKey(round)) {
                next(DilocoCoordinator.SnapshotSaved.class, s -> true);
            }
            return snapshots;
        }

        /** The next event of {@code type} that {@code matches}; records θ and snapshots on the way. */
        <T> T next(Class<T> type, Predicate<T> matches) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Object e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e instanceof DilocoWorker.ParametersApplied p) {
                    theta.put(p.round(), p.parameters().clone());
                } else if (e instanceof DilocoCoordinator.SnapshotSaved s) {
                    snapshots.put(s.snapshot().round(), s.snapshot());
                }
                if (type.isInstance(e) && matches.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT + " (snapshots of rounds " + snapshots.keySet()
                    + ", θ of rounds " + theta.keySet() + ")");
        }

        void terminate() throws Exception {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /** Hands out {@code limit} batches (from where it starts), then none: the worker waits in its next round. */
    private record Limited(InMemoryBatches batches, int limit, int[] taken) implements BatchSource {
        Limited(InMemoryBatches batches, int limit) {
            this(batches, limit, new int[1]);
        }

        @Override
        public FedBatch next(String bucket, Duration timeout) throws InterruptedException {
            if (taken[0] >= limit) {
                new LinkedBlockingQueue<FedBatch>().poll(timeout.toMillis(), TimeUnit.MILLISECONDS); // none will come
                return null;
            }
            taken[0]++;
            return batches.next(bucket, timeout);
        }

        @Override
        public boolean isDry(String bucket) {
            return false;
        }

        @Override
        public void close() {
            batches.close();
        }
    }

    private static void assertBitsEqual(CoordinatorSnapshot expected, CoordinatorSnapshot actual, String what) {
        assertEquals(expected.round(), actual.round(), what + ": round");
        assertEquals(expected.outerSteps(), actual.outerSteps(), what + ": outer steps");
        assertArrayEquals(bits(expected.parameters()), bits(actual.parameters()), what + ": θ");
        assertArrayEquals(bits(expected.momentum()), bits(actual.momentum()), what + ": momentum");
        assertTrue(java.util.Arrays.stream(bits(actual.momentum())).anyMatch(b -> b != 0), what + ": the momentum is not zero");
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
