package org.millrace.training.curriculum;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks of bucket mixtures (relative weights). */
final class Mixtures {
    private Mixtures() {
    }

    /** The weights, if each is finite and ≥ 0 and they are not all 0; else an error naming {@code what}. */
    static Map<String, Double> checked(Map<String, Double> weights, String what) {
        if (weights == null || weights.isEmpty()) {
            throw new IllegalArgumentException(what + ": the mixture names no bucket");
        }
        double sum = 0;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            Double w = e.getValue();
            if (w == null || !(w >= 0) || w.isInfinite()) {
                throw new IllegalArgumentException(what + ": weight of bucket " + e.getKey() + " must be a finite number >= 0 (got " + w + ")");
            }
            sum += w;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException(what + ": the weights are all 0");
        }
        return weights;
    }

    /** The mixture, if every bucket it names is one of {@code buckets}. */
    static Map<String, Double> knownBuckets(Map<String, Double> weights, Collection<String> buckets, String what) {
        for (String b : weights.keySet()) {
            if (!buckets.contains(b)) {
                throw new IllegalArgumentException(what + ": bucket '" + b + "' is not one of millrace.topics.buckets " + buckets);
            }
        }
        return weights;
    }

    /** Weights normalised to sum 1, in {@code buckets} order, 0 for buckets not named. */
    static Map<String, Double> normalised(Map<String, Double> weights, Collection<String> buckets) {
        double sum = 0;
        for (String b : buckets) {
            sum += weights.getOrDefault(b, 0.0);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String b : buckets) {
            out.put(b, sum == 0 ? 0.0 : weights.getOrDefault(b, 0.0) / sum);
        }
        return out;
    }
}
