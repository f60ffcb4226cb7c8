package org.millrace.processing;

import java.util.List;
import org.millrace.common.Document;
import org.millrace.common.Verdict;

/**
 * A filter that decides a whole group of documents at once, in order, because each decision costs a
 * round trip to state held elsewhere (the cluster-wide dedup shards): one call per group instead of
 * one per document. The {@link Curator} runs the pipeline filter by filter over a group, so a group
 * filter sees every document the filters before it kept, in the group's order.
 */
public interface GroupFilter extends DocumentFilter {

    /** One verdict per document, in the order of {@code documents}. */
    List<Verdict> applyAll(List<Document> documents);

    @Override
    default Verdict apply(Document document) {
        return applyAll(List.of(document)).get(0);
    }

    /** The filter's verdicts for a group, one per document; a filter that gives another number fails. */
    static List<Verdict> verdicts(GroupFilter filter, List<Document> documents) {
        List<Verdict> v = filter.applyAll(documents);
        if (v.size() != documents.size()) {
            throw new IllegalStateException("filter " + filter.name() + " gave " + v.size() + " verdicts for "
                    + documents.size() + " documents");
        }
        return v;
    }
}
