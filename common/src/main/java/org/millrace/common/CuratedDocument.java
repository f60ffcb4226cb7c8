package org.millrace.common;

import java.util.Map;

/**
 * A document that passed curation, as written to {@code millrace.docs.curated}.
 *
 * @param document the (possibly modified) document
 * @param scores   per-filter scores, e.g. {@code edu_score}, {@code lang_confidence}
 * @param bucket   the curriculum bucket it was assigned to
 * @param tokens   how many tokens the tokenizer made of it
 */
public record CuratedDocument(Document document, Map<String, Double> scores, String bucket, int tokens) {
    public CuratedDocument {
        scores = Map.copyOf(scores);
    }
}
