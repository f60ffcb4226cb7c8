package org.millrace.training.curriculum;

/**
 * The SplitMix64 generator (Steele, Lea, Flood 2014; the seeder of Java's own SplittableRandom), written
 * out because its whole state is one {@code long} that a checkpoint can hold: Java's generators do not
 * expose their state, and a resumed run must continue the very same sequence of bucket draws.
 */
public final class SplitMix64 {
    /** Name recorded with the state in a checkpoint. */
    public static final String ALGORITHM = "splitmix64";
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    public SplitMix64(long state) {
        this.state = state;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    public long state() {
        return state;
    }

    /** A well-mixed value of {@code seed} and {@code index}, e.g. a per-step seed for the engine's RNG. */
    public static long mix(long seed, long index) {
        return new SplitMix64(seed ^ (index * GOLDEN_GAMMA)).nextLong();
    }
}
