package org.millrace.common;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * A record on {@code millrace.curriculum}, keyed by run id: the bucket mixture in force from a step on,
 * e.g. {@code {"weights": {"web": 0.15, "synthetic": 0.55, "code": 0.2, "textbook": 0.1}, "from-step": 1200}}.
 * Weights are relative (they need not sum to 1). Empty weights hand the mixture back to the configured
 * curriculum phases.
 *
 * @param weights  bucket → relative weight, each ≥ 0
 * @param fromStep the first step (0-based, the index of the optimizer update) trained with these weights
 */
public record CurriculumUpdate(Map<String, Double> weights, @JsonProperty("from-step") @JsonAlias("fromStep") long fromStep) {
    public CurriculumUpdate {
        weights = weights == null ? Map.of() : new TreeMap<>(weights);
    }

    /** Whether this update returns the mixture to the configured phases. */
    public boolean resetsToPhases() {
        return weights.isEmpty();
    }
}
