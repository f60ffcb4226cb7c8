package org.millrace.common;

/** What a curation filter decided about a document. */
public sealed interface Verdict {

    /** The document goes on, possibly changed ({@code modified}), with the filter's score (NaN if none). */
    record Keep(Document document, boolean modified, double score) implements Verdict {
    }

    /** The document stops here; {@code reason} is short and stable (a metric label), {@code detail} says more. */
    record Drop(String reason, String detail, double score) implements Verdict {
    }

    static Verdict keep(Document document) {
        return new Keep(document, false, Double.NaN);
    }

    static Verdict drop(String reason, String detail) {
        return new Drop(reason, detail, Double.NaN);
    }
}
