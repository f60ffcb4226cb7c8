package org.millrace.training.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.common.EvalResult;
import org.millrace.common.Settings;

/** EXP3 over buckets: the floor, the bounded change, convergence towards the rewarded bucket, determinism. */
class AdaptiveCurriculumTest {
    private static final List<String> BUCKETS = List.of("web", "textbook", "code", "synthetic");
    private static final double FLOOR = 0.05;
    private static final double MAX_CHANGE = 0.1;

    private static AdaptiveSettings settings(long seed) {
        return new AdaptiveSettings(true, FLOOR, MAX_CHANGE, 0.1, 0.05, "bits_per_byte",
                Map.of("code", List.of("bpb_code_python", "bpb_code_java")), "heldout_", 20, Duration.ofSeconds(2), seed);
    }

    /** phi-3's first phase: synthetic at 0. */
    private static AdaptiveCurriculum phi3Start(long seed) {
        return new AdaptiveCurriculum(settings(seed), BUCKETS, Map.of("web", 0.85, "textbook", 0.05, "code", 0.10));
    }

    private static Map<String, Double> onlySynthetic() {
        return Map.of("web", 0.0, "textbook", 0.0, "code", 0.0, "synthetic", 1.0);
    }

    @Test
    void everyBucketKeepsTheFloorAndEveryUpdateIsBounded() {
        AdaptiveCurriculum bandit = phi3Start(7);
        Map<String, Double> before = bandit.mixture();
        assertEquals(FLOOR, before.get("synthetic"), 1e-12, "a bucket at 0 starts at the floor");
        assertEquals(1.0, before.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        boolean moved = false;
        for (int i = 0; i < 300; i++) {
            Map<String, Double> after = bandit.update(onlySynthetic()).mixture();
            assertEquals(1.0, after.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9, "round " + i);
            for (String b : BUCKETS) {
                assertTrue(after.get(b) >= FLOOR - 1e-12, "round " + i + ": " + b + " below the floor: " + after);
                double change = Math.abs(after.get(b) - before.get(b));
                assertTrue(change <= MAX_CHANGE + 1e-12, "round " + i + ": " + b + " moved by " + change);
                moved |= change > MAX_CHANGE - 1e-9;
            }
            before = after;
        }
        assertTrue(moved, "some update used the whole allowed change (the bound was binding)");
    }

    @Test
    void theMixtureConvergesTowardsTheRewardedBucket() {
        AdaptiveCurriculum bandit = phi3Start(11);
        Map<String, Double> m = bandit.mixture();
        for (int i = 0; i < 200; i++) {
            m = bandit.update(onlySynthetic()).mixture();
        }
        assertTrue(m.get("synthetic") > 0.75, "synthetic after 200 rewarded rounds: " + m);
        for (String b : List.of("web", "textbook", "code")) {
            assertTrue(m.get(b) < 0.1, b + " after 200 rounds that never rewarded it: " + m);
        }
    }

    @Test
    void withoutRewardsNothingIsPreferred() {
        AdaptiveCurriculum bandit = new AdaptiveCurriculum(settings(3), BUCKETS, Map.of("web", 1.0, "textbook", 1.0, "code", 1.0,
                "synthetic", 1.0));
        Map<String, Double> m = Map.of();
        for (int i = 0; i < 50; i++) {
            m = bandit.update(Map.of("web", 0.0, "textbook", 0.0, "code", 0.0, "synthetic", 0.0)).mixture();
        }
        m.values().forEach(w -> assertEquals(0.25, w, 1e-9));
    }

    @Test
    void theSameRewardsAndSeedGiveTheSameMixtures() {
        List<Map<String, Double>> rewards = new ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 40; i++) {
            rewards.add(Map.of("web", r.nextDouble(), "textbook", r.nextDouble(), "code", r.nextDouble(), "synthetic", r.nextDouble()));
        }
        List<AdaptiveCurriculum.Round> a = run(phi3Start(99), rewards);
        List<AdaptiveCurriculum.Round> b = run(phi3Start(99), rewards);
        assertEquals(a, b, "same seed, same rewards");
        List<AdaptiveCurriculum.Round> c = run(phi3Start(100), rewards);
        assertNotEquals(a.stream().map(AdaptiveCurriculum.Round::drawn).toList(), c.stream().map(AdaptiveCurriculum.Round::drawn).toList(),
                "another seed draws other buckets");
    }

    private static List<AdaptiveCurriculum.Round> run(AdaptiveCurriculum bandit, List<Map<String, Double>> rewards) {
        return rewards.stream().map(bandit::update).toList();
    }

    @Test
    void rewardsAreTheRelativeDropOfEachBucketsHeldOutLoss() {
        HeldOutRewards rewards = new HeldOutRewards(settings(1), BUCKETS);
        assertNull(rewards.next(checkpoint(10, 2.0, 4.0, 3.0)), "the first checkpoint is the baseline");
        // code tasks fall by 5% (the full reward), the held-out task by 1%: web, textbook and synthetic get 0.2
        Map<String, Double> r = rewards.next(checkpoint(20, 1.98, 3.8, 2.85));
        assertEquals(1.0, r.get("code"), 1e-9);
        assertEquals(0.2, r.get("web"), 1e-9);
        assertEquals(0.2, r.get("synthetic"), 1e-9);
        // a rise is no reward
        assertEquals(0.0, rewards.next(checkpoint(30, 2.5, 3.8, 2.85)).get("web"), 1e-12);
    }

    private static List<EvalResult> checkpoint(long step, double heldOut, double python, double java) {
        return List.of(result(step, "heldout_corpus", heldOut), result(step, "bpb_code_python", python),
                result(step, "bpb_code_java", java), new EvalResult("r", "c", step, step * 100, "heldout_corpus", "loss", 9.0, null, 1, 0));
    }

    private static EvalResult result(long step, String task, double value) {
        return new EvalResult("r", "c", step, step * 100, task, "bits_per_byte", value, 0.01, 100, 0);
    }

    @Test
    void settingsAreCheckedByName() {
        AdaptiveSettings defaults = AdaptiveSettings.fromConfig(Settings.load(null));
        assertEquals(false, defaults.adaptive());
        assertEquals(List.of("bpb_docs"), defaults.rewardTasks().get("textbook"));
        Exception e = assertThrows(IllegalArgumentException.class, () -> AdaptiveSettings.fromConfig(
                ConfigFactory.parseString("millrace.curriculum.adaptive.max-change = 0").withFallback(Settings.load(null)).resolve()));
        assertTrue(e.getMessage().contains("millrace.curriculum.adaptive.max-change"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveCurriculum(new AdaptiveSettings(true, 0.3, 0.1, 0.1, 0.05,
                "bits_per_byte", Map.of(), "heldout_", 0, Duration.ofSeconds(1), 1), BUCKETS, Map.of("web", 1.0)));
        assertTrue(e.getMessage().contains("floor"), e.getMessage());
    }
}
