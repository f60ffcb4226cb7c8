package org.millrace.processing;

import org.millrace.common.Document;
import org.millrace.common.Verdict;

/**
 * One step of the curation pipeline. Filters are small, stateless or with their own bounded state,
 * and named in configuration ({@code millrace.curation.pipeline}); the graph counts every verdict
 * under the filter's {@link #name()}. A filter that holds resources (a store, a model) also
 * implements {@link AutoCloseable}; the {@link Curator} that built it closes it. Filters are called
 * from several substreams at once and must be thread-safe.
 */
public interface DocumentFilter {
    /**
     * Metadata key through which a filter assigns a document's curriculum bucket; without it the
     * bucket follows the document's kind ({@code millrace.curation.bucket-of-kind}).
     */
    String BUCKET_KEY = "millrace.bucket";

    /** Name used in configuration, metrics labels and dead-letter records. */
    String name();

    Verdict apply(Document document);
}
