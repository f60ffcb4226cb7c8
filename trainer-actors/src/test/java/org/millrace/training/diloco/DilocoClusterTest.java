package org.millrace.training.diloco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;

/**
 * Two ActorSystems form a Pekko Cluster over Artery on loopback: the coordinator and one worker on the first, a
 * second worker on the second. Parameters and deltas cross Artery in chunks (large-message stream, Jackson CBOR,
 * bf16 deltas). When the second system terminates mid-run the coordinator drops its worker and training goes on.
 */
class DilocoClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Config nodeConfig() {
        Config node = ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                # Test pace: gossip membership and receptionist entries every 200 ms instead of 1-2 s.
                pekko.cluster.gossip-interval = 200ms
                pekko.cluster.leader-actions-interval = 200ms
                pekko.cluster.periodic-tasks-initial-delay = 0s
                pekko.cluster.typed.receptionist.distributed-data.gossip-interval = 200ms
                pekko.cluster.typed.receptionist.distributed-data.notify-subscribers-interval = 100ms
                millrace.diloco.chunk-bytes = 64 KiB
                millrace.diloco.inner-steps = 5
                """);
        return DilocoRemoting.withLargeMessages(node).withFallback(ConfigFactory.load());
    }

    @Test
    void trainingGoesOnWhenAWorkersNodeLeaves() throws Exception {
        Config config = nodeConfig();
        DilocoSettings settings = DilocoSettings.fromConfig(config).withOuter(0.7, 0.9)
                .withDeltaEncoding(DeltaEncoding.BF16).withRoundTimeout(Duration.ofSeconds(30));
        assertTrue(settings.chunkBytes() == 64 * 1024);
        ActorTestKit first = ActorTestKit.create("diloco", config);
        ActorTestKit second = ActorTestKit.create("diloco", config);
        try {
            Address seed = Cluster.get(first.system()).selfMember().address();
            Cluster.get(first.system()).manager().tell(Join.create(seed));
            Cluster.get(second.system()).manager().tell(Join.create(seed));
            awaitUp(first, 2);
            long t0 = System.nanoTime();

            TestProbe<DilocoCoordinator.Event> events = first.createTestProbe();
            first.spawn(DilocoCoordinator.create(settings, events.ref()), "diloco-coordinator");
            first.spawn(DilocoWorker.create(settings, DilocoFixtures.inner("w1", 7, DilocoFixtures.batches(11, 10)), null),
                    DilocoWorker.NAME);
            second.spawn(DilocoWorker.create(settings, DilocoFixtures.inner("w2", 8, DilocoFixtures.batches(12, 10)), null),
                    DilocoWorker.NAME);

            // Both workers contribute to a round: w2's delta crossed the cluster.
            long bothIn = -1;
            while (bothIn < 0) {
                if (events.receiveMessage(WAIT) instanceof DilocoCoordinator.RoundCompleted c
                        && c.contributors().containsAll(List.of("w1", "w2"))) {
                    bothIn = c.round();
                }
            }
            System.out.printf("both workers averaged after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            second.system().terminate();
            second.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

            DilocoCoordinator.WorkerDropped dropped = null;
            DilocoCoordinator.RoundCompleted after = null;
            while (after == null) {
                DilocoCoordinator.Event e = events.receiveMessage(WAIT);
                if (e instanceof DilocoCoordinator.WorkerDropped d) {
                    dropped = d;
                } else if (e instanceof DilocoCoordinator.RoundCompleted c && dropped != null && c.round() > dropped.round()) {
                    after = c;
                }
            }
            System.out.printf("dropped and a round without w2 after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertEquals("w2", dropped.workerId());
            assertEquals(List.of("w1"), after.contributors(), "rounds after the drop average the remaining worker");
            assertTrue(after.bytesReceived() > 0 && after.bytesSent() > 0);
        } finally {
            second.shutdownTestKit();
            first.shutdownTestKit();
        }
    }

    private static void awaitUp(ActorTestKit kit, int members) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long up = 0;
            for (org.apache.pekko.cluster.Member m : Cluster.get(kit.system()).state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up++;
                }
            }
            if (up >= members) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + up + " of " + members + " cluster members up within " + WAIT);
            }
            Thread.sleep(50); // polling the membership with a deadline
        }
    }
}
