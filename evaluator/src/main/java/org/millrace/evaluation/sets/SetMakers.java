package org.millrace.evaluation.sets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.millrace.common.Document;
import org.millrace.common.evalsets.EvalItem;

/** The construction steps, for {@link org.millrace.evaluation.EvalSetBuilder}. */
public final class SetMakers {
    private SetMakers() {
    }

    /** What the allow-list scan found. */
    public record AllowList(List<String> phrases, long documents, long sharing, long sharingAfterAllowList) {
    }

    public static List<Document> heldOut(List<Document> docs, int n, EvalSetSettings s, Predicate<Document> accept, String step) {
        return HeldOutSlices.sample(docs, n, s.minFileBytes(), s.maxFileBytes(), accept, s.seed(), "held-out/" + step);
    }

    public static List<EvalItem> cloze(List<Document> prose, String source, EvalSetSettings s) {
        return ClozeItems.build(prose, source, s);
    }

    public static List<EvalItem> doctests(List<Document> pages, String source, EvalSetSettings s) {
        return DoctestItems.build(pages, source, s);
    }

    public static List<EvalItem> quiz(Path dir, String source, EvalSetSettings s) {
        try {
            return QuizItems.build(dir, source, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the quiz files under " + dir + ": " + e.getMessage(), e);
        }
    }

    public static List<EvalItem> wordnet(Path dir, String source, EvalSetSettings s) {
        try {
            return WordNetItems.build(dir, source, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the WordNet files under " + dir + ": " + e.getMessage(), e);
        }
    }

    public static AllowList allowList(Path corpusDir, List<List<EvalItem>> tasks, Set<String> heldOutIds, int n, int minDocuments,
                                      Consumer<String> progress) {
        AllowListBuilder.Result r = AllowListBuilder.build(corpusDir, tasks, heldOutIds, n, minDocuments, progress);
        return new AllowList(r.phrases(), r.documents(), r.sharing(), r.sharingAfterAllowList());
    }
}
