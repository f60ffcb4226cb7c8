package org.millrace.training.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.millrace.common.CurriculumUpdate;
import org.millrace.common.Json;

class CurriculumSchedulerTest {
    private static final List<String> BUCKETS = List.of("web", "textbook", "code", "synthetic");

    private static CurriculumSettings settings(DryPolicy onDry, CurriculumPhase... phases) {
        return new CurriculumSettings("test", List.of(phases), onDry, true);
    }

    private static CurriculumSettings twoPhases(DryPolicy onDry) {
        return settings(onDry,
                new CurriculumPhase("first", 1000, Map.of("web", 0.8, "code", 0.2)),
                new CurriculumPhase("second", 0, Map.of("textbook", 0.5, "synthetic", 0.5)));
    }

    private static List<String> picks(CurriculumScheduler s, long from, int n) {
        List<String> out = new ArrayList<>();
        for (long step = from; step < from + n; step++) {
            String b = s.pick(step, x -> false);
            out.add(b);
            s.trained(b, 10);
        }
        return out;
    }

    @Test
    void theSameSeedDrawsTheSameBucketsAndAnotherSeedOthers() {
        List<String> a = picks(new CurriculumScheduler(twoPhases(DryPolicy.WAIT), BUCKETS, 7), 0, 60);
        List<String> b = picks(new CurriculumScheduler(twoPhases(DryPolicy.WAIT), BUCKETS, 7), 0, 60);
        List<String> c = picks(new CurriculumScheduler(twoPhases(DryPolicy.WAIT), BUCKETS, 8), 0, 60);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void drawsFollowTheWeightsAndPhasesEndWithTheirBudget() {
        CurriculumScheduler s = new CurriculumScheduler(twoPhases(DryPolicy.WAIT), BUCKETS, 1);
        List<String> first = picks(s, 0, 100); // 100 steps × 10 tokens = the first phase's budget
        assertEquals("second", s.phase().name());
        long web = first.stream().filter("web"::equals).count();
        assertEquals(80, web, 12, "web share of the first phase: " + web + "%");
        assertTrue(first.stream().allMatch(b -> b.equals("web") || b.equals("code")), first.toString());
        List<String> second = picks(s, 100, 50);
        assertTrue(second.stream().allMatch(b -> b.equals("textbook") || b.equals("synthetic")), second.toString());
        assertEquals(1500, s.bucketTokens().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aRestoredSchedulerContinuesTheSameSequence() {
        List<String> uninterrupted = picks(new CurriculumScheduler(twoPhases(DryPolicy.SKIP), BUCKETS, 3), 0, 150);
        CurriculumScheduler before = new CurriculumScheduler(twoPhases(DryPolicy.SKIP), BUCKETS, 3);
        List<String> resumed = new ArrayList<>(picks(before, 0, 70));
        // through JSON, as a checkpoint holds it
        CurriculumState state = Json.read(Json.write(before.state()), CurriculumState.class);
        RngState rng = Json.read(Json.write(before.rngState()), RngState.class);
        CurriculumScheduler after = new CurriculumScheduler(twoPhases(DryPolicy.SKIP), BUCKETS, 3);
        after.restore(state, rng);
        resumed.addAll(picks(after, 70, 80));
        assertEquals(uninterrupted, resumed);
        assertEquals(before.bucketTokens().get("web"), state.bucketTokens().get("web"));
    }

    @Test
    void aLiveMixtureRulesFromItsStepAndALateOneFromTheNext() {
        CurriculumScheduler s = new CurriculumScheduler(twoPhases(DryPolicy.WAIT), BUCKETS, 5);
        assertEquals(20, s.offer(new CurriculumUpdate(Map.of("synthetic", 1.0), 20), 3, "millrace.curriculum:0", 1));
        List<String> p = picks(s, 0, 30);
        assertTrue(p.subList(0, 20).stream().noneMatch("synthetic"::equals), p.toString());
        assertTrue(p.subList(20, 30).stream().allMatch("synthetic"::equals), p.toString());
        assertEquals(31, s.offer(new CurriculumUpdate(Map.of("code", 1.0), 25), 31, "millrace.curriculum:0", 2),
                "an update stating a step already trained takes effect from the next step");
        assertEquals("code", s.pick(31, b -> false));
        s.offer(new CurriculumUpdate(Map.of(), 32), 32, "millrace.curriculum:0", 3);
        assertEquals(Map.of("web", 0.8, "textbook", 0.0, "code", 0.2, "synthetic", 0.0), s.mixture(32),
                "empty weights hand the mixture back to the phase");
        assertEquals(Map.of("millrace.curriculum:0", 3L), s.state().updateOffsets());
    }

    @Test
    void updatesNamingUnknownBucketsOrBadWeightsAreRefused() {
        CurriculumScheduler s = new CurriculumScheduler(twoPhases(DryPolicy.WAIT), BUCKETS, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.offer(new CurriculumUpdate(Map.of("poetry", 1.0), 0), 0, "t:0", 1));
        assertTrue(e.getMessage().contains("poetry"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.offer(new CurriculumUpdate(Map.of("web", -1.0), 0), 0, "t:0", 2));
        assertEquals("web", new CurriculumScheduler(settings(DryPolicy.WAIT,
                new CurriculumPhase("p", 0, Map.of("web", 1.0))), BUCKETS, 1).pick(0, b -> false));
    }

    @Test
    void dryBucketsAreWaitedForOrSkipped() {
        CurriculumPhase both = new CurriculumPhase("both", 0, Map.of("web", 0.5, "code", 0.5));
        Set<String> dry = Set.of("web");
        CurriculumScheduler wait = new CurriculumScheduler(settings(DryPolicy.WAIT, both), BUCKETS, 2);
        CurriculumScheduler skip = new CurriculumScheduler(settings(DryPolicy.SKIP, both), BUCKETS, 2);
        List<String> waited = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            waited.add(wait.pick(i, dry::contains));
            assertEquals("code", skip.pick(i, dry::contains));
        }
        assertTrue(waited.contains("web"), "under wait a dry bucket is still drawn");
        assertNull(skip.pick(40, b -> true), "every bucket dry: nothing to draw");
    }

    @Test
    void reweightMakesUpForABucketThatRanDry() {
        CurriculumPhase both = new CurriculumPhase("both", 0, Map.of("web", 0.5, "code", 0.5));
        CurriculumScheduler s = new CurriculumScheduler(settings(DryPolicy.REWEIGHT, both), BUCKETS, 9);
        for (int i = 0; i < 50; i++) {
            s.trained(s.pick(i, "web"::equals), 10); // web dry: code only
        }
        CurriculumScheduler skip = new CurriculumScheduler(settings(DryPolicy.SKIP, both), BUCKETS, 9);
        Map<String, Integer> after = new HashMap<>();
        Map<String, Integer> skipped = new HashMap<>();
        for (int i = 50; i < 150; i++) {
            String b = s.pick(i, x -> false);
            after.merge(b, 1, Integer::sum);
            s.trained(b, 10);
            skipped.merge(skip.pick(i, x -> false), 1, Integer::sum);
        }
        assertTrue(after.get("web") >= 60, "web catches up once it has batches again: " + after);
        assertTrue(skipped.get("web") < after.get("web"), "under skip it does not: " + skipped + " vs " + after);
    }
}
