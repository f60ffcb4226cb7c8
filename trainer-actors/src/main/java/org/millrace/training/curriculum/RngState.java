package org.millrace.training.curriculum;

/**
 * State of the training loop's random number generator, as a checkpoint records it.
 *
 * @param algorithm {@value SplitMix64#ALGORITHM}
 * @param state     the generator's state after the last draw
 */
public record RngState(String algorithm, long state) {
    public RngState {
        if (!SplitMix64.ALGORITHM.equals(algorithm)) {
            throw new IllegalArgumentException("RNG algorithm " + algorithm + " is not known (this build uses "
                    + SplitMix64.ALGORITHM + ")");
        }
    }
}
