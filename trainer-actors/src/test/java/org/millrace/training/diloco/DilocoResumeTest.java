package org.millrace.training.diloco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A coordinator with a snapshot store (here its pieces held in memory, through the real codec): it starts from the
 * stored snapshot, and a worker that joined while the snapshot was loading (its join waits in the stash) is refused if
 * its model has another size, and never sent θ.
 */
class DilocoResumeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ActorTestKit KIT = ActorTestKit.create("diloco-resume");

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    void aCoordinatorStartsFromItsStoredSnapshotAndRefusesAWorkerOfAnotherSizeThatJoinedWhileItLoaded() throws Exception {
        DilocoSettings settings = DilocoSettings.paper(1).withChunkBytes(16 * 1024);
        int parameters;
        try (InnerTrainer probe = DilocoFixtures.inner("probe", 7, DilocoFixtures.batches(1, 1))) {
            parameters = probe.parameterCount();
        }
        CoordinatorSnapshot stored = snapshot(9, parameters);
        PiecesInMemory store = new PiecesInMemory(settings.chunkBytes());
        store.write(stored);
        store.release = new CountDownLatch(1); // the next load waits until the workers have joined

        TestProbe<DilocoCoordinator.Event> events = KIT.createTestProbe();
        ActorRef<DilocoCoordinator.Command> coordinator = KIT.spawn(DilocoCoordinator.create(settings, events.ref(), store, 1), "c");
        assertTrue(store.loading.await(60, TimeUnit.SECONDS), "the coordinator starts by loading its snapshot");
        // A worker of another size joins while the load is blocked: its join can only be handled after the load.
        TestProbe<DilocoWorker.Command> misfit = KIT.createTestProbe();
        coordinator.tell(new DilocoCoordinator.Join("other", misfit.ref(), parameters + 1));
        TestProbe<DilocoWorker.Event> fitting = KIT.createTestProbe();
        ActorRef<DilocoWorker.Command> good = KIT.spawn(DilocoWorker.create(settings,
                DilocoFixtures.inner("good", 7, DilocoFixtures.batches(1, 4)), fitting.ref()), "good");
        store.release.countDown();

        DilocoCoordinator.Resumed resumed = null;
        while (resumed == null) {
            if (events.receiveMessage(WAIT) instanceof DilocoCoordinator.Resumed r) {
                resumed = r;
            }
        }
        assertEquals(9, resumed.snapshot().round());
        // Refused (its model has another parameter count), and not sent the snapshot's θ.
        misfit.expectMessageClass(DilocoWorker.Refused.class, WAIT);
        DilocoWorker.ParametersApplied first = null;
        while (first == null) {
            if (fitting.receiveMessage(WAIT) instanceof DilocoWorker.ParametersApplied p) {
                first = p;
            }
        }
        assertEquals(10, first.round(), "the round after the snapshot's");
        assertArrayEquals(stored.parameters(), first.parameters(), "the snapshot's θ, not the worker's initialisation");
        misfit.expectNoMessage(Duration.ofMillis(100)); // the round's θ went to the fitting worker only
        good.tell(new DilocoWorker.Stop());
        KIT.stop(coordinator);
    }

    private static CoordinatorSnapshot snapshot(long round, int n) {
        Random random = new Random(round);
        float[] theta = new float[n];
        float[] momentum = new float[n];
        for (int i = 0; i < n; i++) {
            theta[i] = (float) random.nextGaussian() * 0.02f;
            momentum[i] = (float) random.nextGaussian() * 1e-3f;
        }
        return new CoordinatorSnapshot(round, theta, momentum, round + 1, 0.7, 0.9);
    }

    /** The latest piece of every key, as a compacted topic keeps them; {@link #latest} waits for {@link #release}. */
    private static final class PiecesInMemory implements SnapshotStore {
        private final int chunkBytes;
        private final Map<String, CoordinatorSnapshot.Piece> pieces = new LinkedHashMap<>();
        volatile CountDownLatch release = new CountDownLatch(0);
        final CountDownLatch loading = new CountDownLatch(1);

        PiecesInMemory(int chunkBytes) {
            this.chunkBytes = chunkBytes;
        }

        @Override
        public synchronized Optional<CoordinatorSnapshot> latest() {
            loading.countDown();
            try {
                assertTrue(release.await(60, TimeUnit.SECONDS), "released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return pieces.isEmpty() ? Optional.empty() : Optional.of(CoordinatorSnapshot.decode(pieces, describe()));
        }

        @Override
        public synchronized long write(CoordinatorSnapshot snapshot) {
            long bytes = 0;
            for (CoordinatorSnapshot.Piece p : snapshot.encode(chunkBytes)) {
                pieces.put(p.key(), p);
                bytes += p.value().length;
            }
            return bytes;
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public void close() {
        }
    }
}
