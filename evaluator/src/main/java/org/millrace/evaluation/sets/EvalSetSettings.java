package org.millrace.evaluation.sets;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millrace.common.Settings;

/**
 * {@code millrace.eval.sets}: how the evaluation sets are built from the corpus. Changing any of these
 * changes the items; {@link #VERSION} changes when the construction code does.
 *
 * @param seed                  seed of every sampling step
 * @param proseDocuments        Moby-Dick chapters held out (bits per byte, cloze)
 * @param docsPages             Python documentation pages (reST, with doctests) held out, with their HTML twins
 * @param pythonFiles           Python standard-library files held out
 * @param javaFiles             JDK source files held out
 * @param minFileBytes          smallest document held out (smaller ones say little)
 * @param maxFileBytes          largest document held out (the largest pages are too valuable for training)
 * @param quizItems             bsdgames quiz items kept
 * @param wordnetItems          WordNet definition → word items kept
 * @param clozeItems            cloze items kept
 * @param doctestItems          doctest items kept at most
 * @param choices               choices per multiple-choice item (one right, the rest distractors)
 * @param allowListMinDocuments a 13-gram found in at least this many training documents is common text
 */
public record EvalSetSettings(long seed, int proseDocuments, int docsPages, int pythonFiles, int javaFiles,
                              long minFileBytes, long maxFileBytes, int quizItems, int wordnetItems, int clozeItems,
                              int doctestItems, int choices, int allowListMinDocuments) {
    /** Version of the construction code; part of every registry. */
    public static final int VERSION = 1;
    private static final String P = "millrace.eval.sets.";

    public static EvalSetSettings fromConfig(Config c) {
        long min = c.getBytes(P + "min-file-bytes");
        long max = c.getBytes(P + "max-file-bytes");
        if (min < 1 || max < min) {
            throw Settings.invalid(c, P + "max-file-bytes", max, "must be >= " + P + "min-file-bytes " + min + " >= 1");
        }
        return new EvalSetSettings(c.getLong(P + "seed"), Settings.positiveInt(c, P + "prose-documents"),
                Settings.positiveInt(c, P + "docs-pages"), Settings.positiveInt(c, P + "python-files"),
                Settings.positiveInt(c, P + "java-files"), min, max, Settings.positiveInt(c, P + "quiz-items"),
                Settings.positiveInt(c, P + "wordnet-items"), Settings.positiveInt(c, P + "cloze-items"),
                Settings.positiveInt(c, P + "doctest-items"), Settings.intInRange(c, P + "choices", 2, 10),
                Settings.positiveInt(c, P + "allow-list-min-documents"));
    }

    /** As recorded in {@code registry.json}. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("prose_documents", proseDocuments);
        m.put("docs_pages", docsPages);
        m.put("python_files", pythonFiles);
        m.put("java_files", javaFiles);
        m.put("min_file_bytes", minFileBytes);
        m.put("max_file_bytes", maxFileBytes);
        m.put("quiz_items", quizItems);
        m.put("wordnet_items", wordnetItems);
        m.put("cloze_items", clozeItems);
        m.put("doctest_items", doctestItems);
        m.put("choices", choices);
        m.put("allow_list_min_documents", allowListMinDocuments);
        return m;
    }
}
