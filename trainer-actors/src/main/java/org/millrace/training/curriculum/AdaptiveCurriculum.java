package org.millrace.training.curriculum;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EXP3 (Auer, Cesa-Bianchi, Freund, Schapire 2002) over the curriculum buckets, as ODM ("Online Data
 * Mixing", Albalak et al. 2023) uses it: the arms are buckets, the mixture in force is the bandit's
 * distribution, and each round one bucket is drawn from it and credited with its reward divided by its
 * probability (the unbiased importance-weighted estimate), which raises its log-weight by
 * {@code gamma * reward / p / K}. Two guards keep the mixture sane for training: every bucket keeps at
 * least {@code floor} (the bandit's distribution is mixed into {@code floor + (1 - K floor) * p}), and
 * the published mixture moves towards the bandit's by at most {@code max-change} per bucket and round
 * (a convex step, so the floor and the sum of 1 still hold).
 *
 * <p>Hand-written: the bandit is the project's own closed loop, a few lines of arithmetic; its draws use
 * {@link SplitMix64} so that the same rewards in the same order give the same mixtures on any machine.
 * Not thread-safe: one controller owns it.
 */
public final class AdaptiveCurriculum {
    private final AdaptiveSettings settings;
    private final List<String> buckets;
    private final double[] logWeights;
    private double[] mixture;
    private final SplitMix64 rng;
    private int rounds;

    /** The outcome of one round. */
    public record Round(int round, String drawn, double reward, Map<String, Double> mixture) {
    }

    /**
     * @param buckets buckets in a fixed order (the order of draws)
     * @param initial starting weights (relative; buckets not named get 0, then the floor)
     */
    public AdaptiveCurriculum(AdaptiveSettings settings, List<String> buckets, Map<String, Double> initial) {
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("the adaptive curriculum needs at least one bucket");
        }
        settings.checkBuckets(buckets);
        Mixtures.knownBuckets(Mixtures.checked(initial, "initial adaptive mixture"), buckets, "initial adaptive mixture");
        this.settings = settings;
        this.buckets = List.copyOf(buckets);
        this.rng = new SplitMix64(settings.seed());
        Map<String, Double> start = Mixtures.normalised(initial, buckets);
        int k = buckets.size();
        this.mixture = new double[k];
        this.logWeights = new double[k];
        for (int i = 0; i < k; i++) {
            mixture[i] = settings.floor() + (1 - k * settings.floor()) * start.get(buckets.get(i));
            // a bucket at 0 would have log-weight -inf; the floor keeps it finite (and reachable)
            logWeights[i] = Math.log(Math.max(mixture[i], 1e-12));
        }
    }

    /** The mixture in force: bucket → share, summing to 1, in bucket order. */
    public Map<String, Double> mixture() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < buckets.size(); i++) {
            out.put(buckets.get(i), mixture[i]);
        }
        return out;
    }

    public List<String> buckets() {
        return buckets;
    }

    public int rounds() {
        return rounds;
    }

    /**
     * One EXP3 round.
     *
     * @param rewards bucket → reward in [0, 1] of the round just trained with {@link #mixture()}
     * @return the drawn bucket, its reward and the new mixture
     */
    public Round update(Map<String, Double> rewards) {
        int k = buckets.size();
        int drawn = draw();
        Double r = rewards.get(buckets.get(drawn));
        double reward = r == null || !Double.isFinite(r) ? 0 : Math.min(1, Math.max(0, r));
        double gamma = settings.exploration();
        logWeights[drawn] += gamma * (reward / mixture[drawn]) / k;
        double[] target = target();
        double largest = 0;
        for (int i = 0; i < k; i++) {
            largest = Math.max(largest, Math.abs(target[i] - mixture[i]));
        }
        double t = largest <= settings.maxChange() ? 1 : settings.maxChange() / largest;
        double[] next = new double[k];
        for (int i = 0; i < k; i++) {
            next[i] = mixture[i] + t * (target[i] - mixture[i]);
        }
        mixture = next;
        rounds++;
        return new Round(rounds, buckets.get(drawn), reward, mixture());
    }

    /** EXP3's distribution with exploration, mixed over the floor. */
    private double[] target() {
        int k = buckets.size();
        double max = Double.NEGATIVE_INFINITY;
        for (double w : logWeights) {
            max = Math.max(max, w);
        }
        double sum = 0;
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(logWeights[i] - max); // shifted by the largest: no overflow
            sum += p[i];
        }
        double gamma = settings.exploration();
        for (int i = 0; i < k; i++) {
            double exp3 = (1 - gamma) * p[i] / sum + gamma / k;
            p[i] = settings.floor() + (1 - k * settings.floor()) * exp3;
        }
        return p;
    }

    /** A bucket drawn from the mixture in force. */
    private int draw() {
        double u = rng.nextDouble();
        for (int i = 0; i < mixture.length; i++) {
            u -= mixture[i];
            if (u < 0) {
                return i;
            }
        }
        return mixture.length - 1; // rounding
    }
}
