package org.millrace.evaluation.sets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded sampling: every step has its own stream, derived from the build seed and the step's name. */
final class Sampling {
    private Sampling() {
    }

    static Random random(long seed, String step) {
        return new Random(seed * 31 + step.hashCode());
    }

    /** A seeded shuffle of a copy of {@code items} (which must come in a fixed order). */
    static <T> List<T> shuffled(List<T> items, long seed, String step) {
        List<T> copy = new ArrayList<>(items);
        Collections.shuffle(copy, random(seed, step));
        return copy;
    }

    /** {@code n} distinct picks from {@code pool} that {@code accept} takes, or fewer if the pool runs out. */
    static List<String> distractors(List<String> pool, int n, Random random, java.util.function.Predicate<String> accept) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int tries = 0; out.size() < n && tries < 50 * n && !pool.isEmpty(); tries++) {
            String c = pool.get(random.nextInt(pool.size()));
            if (accept.test(c) && seen.add(c.toLowerCase(java.util.Locale.ROOT))) {
                out.add(c);
            }
        }
        return out;
    }

    /** The right answer placed among the distractors at a seeded position; returns its index. */
    static int place(List<String> choices, String gold, Random random) {
        int at = random.nextInt(choices.size() + 1);
        choices.add(at, gold);
        return at;
    }
}
