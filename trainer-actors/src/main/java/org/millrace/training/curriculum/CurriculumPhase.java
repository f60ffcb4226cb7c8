package org.millrace.training.curriculum;

import java.util.Map;
import java.util.TreeMap;

/**
 * One phase of a curriculum: a token budget and the bucket mixture trained until it is spent.
 *
 * @param name    shown in logs and metrics
 * @param tokens  training tokens of the phase; 0 = open-ended (the last phase only)
 * @param weights bucket → relative weight (≥ 0, not all 0); buckets not named get 0
 */
public record CurriculumPhase(String name, long tokens, Map<String, Double> weights) {
    public CurriculumPhase {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a curriculum phase needs a name");
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("phase " + name + ": tokens must be >= 0 (0 = open-ended), got " + tokens);
        }
        weights = new TreeMap<>(Mixtures.checked(weights, "phase " + name));
    }

    public boolean openEnded() {
        return tokens == 0;
    }
}
