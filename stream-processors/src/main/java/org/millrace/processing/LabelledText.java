package org.millrace.processing;

import java.util.Objects;

/**
 * A labelled seed of the quality classifier.
 *
 * @param text     raw text (format is stripped before features are taken)
 * @param positive textbook quality (true) or not
 * @param source   corpus source it came from, for the report
 * @param group    the source document it belongs to: the held-out split keeps all of a group's
 *                 examples on one side, so that parts of one document never land on both
 */
public record LabelledText(String text, boolean positive, String source, String group) {
    public LabelledText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(group, "group");
    }
}
