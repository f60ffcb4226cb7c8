package org.millrace.training.diloco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.millrace.common.TokenBatch;
import org.millrace.training.diloco.internal.ParameterVector;
import org.millrace.training.model.GptTrainer;

/** DiLoCo in one ActorSystem: one worker is ordinary training; a late worker starts from the current parameters. */
class DilocoOneWorkerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ActorTestKit KIT = ActorTestKit.create("diloco-one");

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    void oneWorkerWithOneInnerStepAndPlainAveragingReproducesAdamW() {
        List<TokenBatch> batches = DilocoFixtures.batches(1, 12);
        int rounds = 6;
        List<float[]> plain = plainRun(batches, rounds + 3);

        // H = 1, outer lr 1, momentum 0: each round sets θ to the worker's parameters after one AdamW step.
        DilocoSettings settings = DilocoSettings.paper(1).withOuter(1.0, 0.0).withChunkBytes(16 * 1024);
        TestProbe<DilocoCoordinator.Event> events = KIT.createTestProbe();
        ActorRef<DilocoCoordinator.Command> coordinator = KIT.spawn(DilocoCoordinator.create(settings, events.ref()), "c1");
        ActorRef<DilocoWorker.Command> worker = KIT.spawn(DilocoWorker.create(settings,
                DilocoFixtures.inner("w", 7, batches), null), "w1");
        long completed = -1;
        while (completed < rounds - 1) {
            if (events.receiveMessage(WAIT) instanceof DilocoCoordinator.RoundCompleted c) {
                assertEquals(List.of("w"), c.contributors());
                completed = c.round();
            }
        }
        TestProbe<DilocoCoordinator.CurrentParameters> reply = KIT.createTestProbe();
        coordinator.tell(new DilocoCoordinator.GetParameters(reply.ref()));
        DilocoCoordinator.CurrentParameters current = reply.receiveMessage(WAIT);
        worker.tell(new DilocoWorker.Stop());
        KIT.stop(coordinator);
        assertTrue(current.round() >= rounds && current.round() < plain.size(), "round " + current.round());
        float[] expected = plain.get((int) current.round());
        assertEquals(expected.length, current.values().length);
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - current.values()[i]));
        }
        assertEquals(0.0, maxDiff, "θ after " + current.round() + " rounds differs from AdamW by up to " + maxDiff);
        assertFalse(Arrays.equals(plain.get(0), current.values()), "training moved the parameters");
    }

    /** θ after 0, 1, ... steps of a plain trainer on the batches in order. */
    private static List<float[]> plainRun(List<TokenBatch> batches, int steps) {
        List<float[]> out = new ArrayList<>();
        try (GptTrainer trainer = DilocoFixtures.trainer(7); NDManager data = NDManager.newBaseManager()) {
            ParameterVector vector = new ParameterVector(trainer.model());
            out.add(vector.read());
            for (int s = 0; s < steps; s++) {
                TokenBatch b = batches.get(s % batches.size());
                NDArray window = data.create(b.tokens(), new Shape(b.rowCount(), b.seqLen() + 1)); // (B, T+1)
                int[] lengths = new int[b.rowCount()];
                Arrays.fill(lengths, b.seqLen() + 1); // as the worker's feed passes them: full rows
                trainer.step(window, lengths);
                window.close();
                out.add(vector.read());
            }
        }
        return out;
    }

    @Test
    void aWorkerJoiningLateStartsFromTheCurrentParameters() {
        DilocoSettings settings = DilocoSettings.paper(2).withChunkBytes(16 * 1024);
        TestProbe<DilocoCoordinator.Event> events = KIT.createTestProbe();
        TestProbe<DilocoWorker.Event> first = KIT.createTestProbe();
        TestProbe<DilocoWorker.Event> late = KIT.createTestProbe();
        ActorRef<DilocoCoordinator.Command> coordinator = KIT.spawn(DilocoCoordinator.create(settings, events.ref()), "c2");
        ActorRef<DilocoWorker.Command> a = KIT.spawn(DilocoWorker.create(settings,
                DilocoFixtures.inner("a", 7, DilocoFixtures.batches(2, 8)), first.ref()), "wa");
        List<DilocoWorker.ParametersApplied> seenByA = new ArrayList<>();
        while (seenByA.size() < 3) {
            if (first.receiveMessage(WAIT) instanceof DilocoWorker.ParametersApplied p) {
                seenByA.add(p);
            }
        }
        InnerTrainer lateTrainer = DilocoFixtures.inner("b", 99, DilocoFixtures.batches(3, 8));
        float[] ownInit = lateTrainer.parameters();
        ActorRef<DilocoWorker.Command> b = KIT.spawn(DilocoWorker.create(settings, lateTrainer, late.ref()), "wb");
        DilocoWorker.ParametersApplied got = null;
        while (got == null) {
            if (late.receiveMessage(WAIT) instanceof DilocoWorker.ParametersApplied p) {
                got = p;
            }
        }
        assertTrue(got.round() >= 2, "the late worker got θ of round " + got.round());
        assertFalse(Arrays.equals(ownInit, got.parameters()), "the late worker kept its own initialisation");
        // A got θ of the same round: the late worker has exactly the coordinator's current parameters.
        while (seenByA.get(seenByA.size() - 1).round() < got.round()) {
            if (first.receiveMessage(WAIT) instanceof DilocoWorker.ParametersApplied p) {
                seenByA.add(p);
            }
        }
        long round = got.round();
        float[] aTheta = seenByA.stream().filter(p -> p.round() == round).findFirst().orElseThrow().parameters();
        assertArrayEquals(aTheta, got.parameters());
        // And from then on both contribute.
        boolean both = false;
        while (!both) {
            if (events.receiveMessage(WAIT) instanceof DilocoCoordinator.RoundCompleted c) {
                both = c.contributors().containsAll(List.of("a", "b"));
            }
        }
        a.tell(new DilocoWorker.Stop());
        b.tell(new DilocoWorker.Stop());
        KIT.stop(coordinator);
    }

    @Test
    void messagesRoundTripThroughJacksonCbor() throws Exception {
        Serialization serialization = SerializationExtension.get(KIT.system());
        TestProbe<DilocoWorker.Command> worker = KIT.createTestProbe();
        float[] delta = {1.5f, -2.25e-3f, 0f, 3.0e-5f};
        for (DeltaEncoding encoding : DeltaEncoding.values()) {
            DilocoCoordinator.Upload upload = new DilocoCoordinator.Upload("w", worker.ref(), 3, DilocoCoordinator.Payload.DELTA, 0, 1, 0, delta.length,
                    encoding, encoding.encode(delta, 0, delta.length), 128, 2.5);
            assertEquals("JacksonCborSerializer", serialization.findSerializerFor(upload).getClass().getSimpleName());
            byte[] bytes = serialization.serialize(upload).get();
            DilocoCoordinator.Upload back = (DilocoCoordinator.Upload) serialization.deserialize(bytes,
                    serialization.findSerializerFor(upload).identifier(),
                    org.apache.pekko.serialization.Serializers.manifestFor(serialization.findSerializerFor(upload), upload)).get();
            assertEquals(worker.ref(), back.worker());
            assertEquals(encoding, back.encoding());
            float[] decoded = new float[delta.length];
            encoding.decode(back.values(), decoded, 0);
            for (int i = 0; i < delta.length; i++) {
                assertEquals(delta[i], decoded[i], Math.abs(delta[i]) * (encoding == DeltaEncoding.FP32 ? 0 : 1.0 / 128));
            }
            // A fixed header (field names, the worker's path), and the payload as one byte string.
            assertTrue(bytes.length < 250 + delta.length * encoding.bytesPerValue(), bytes.length + " bytes on the wire");
        }
        assertNotEquals(0, DeltaEncoding.FP16.encode(new float[] {6.1e-5f}, 0, 1)[1]);
    }
}
