package org.millrace.ops.experiment;

import java.util.List;

/** The four arms of the textbook experiment, in the order they run. */
public enum Arm {
    RAW("raw", "web-like documents, minimal cleaning (extraction, exact dedup), one bucket"),
    FILTERED("filtered", "the full curation chain, classifier-picked textbook bucket, phi-3's phases without synthetic data"),
    FILTERED_SYNTHETIC("filtered+synthetic", "filtered plus programmatic synthetic textbooks and exercises, phi-3's two phases"),
    ADAPTIVE("adaptive", "filtered+synthetic with the closed-loop controller (EXP3 over buckets) re-weighting online");

    private final String label;
    private final String description;

    Arm(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The arm's name in tables, plots, JSON and on the command line. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The label as a legal part of topic names and run ids. */
    public String slug() {
        return label.replace('+', '-');
    }

    /** Whether the arm trains on synthetic documents. */
    public boolean synthetic() {
        return this == FILTERED_SYNTHETIC || this == ADAPTIVE;
    }

    /**
     * Buckets of the arm's topics. The filtered arm keeps the synthetic bucket (every document kind needs one),
     * but no synthetic document is fed and its curriculum gives the bucket no weight.
     */
    public List<String> buckets() {
        return this == RAW ? List.of("web") : List.of("web", "textbook", "code", "synthetic");
    }
}
