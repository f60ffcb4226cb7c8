package org.millrace.processing;

import org.millrace.common.Document;
import org.millrace.common.Verdict;

/**
 * One step of the curation pipeline. Filters are small, stateless or with their own bounded state,
 * and named in configuration ({@code millrace.curation.pipeline}); the graph counts every verdict
 * under the filter's {@link #name()}.
 */
public interface DocumentFilter {
    /** Name used in configuration, metrics labels and dead-letter records. */
    String name();

    Verdict apply(Document document);
}
