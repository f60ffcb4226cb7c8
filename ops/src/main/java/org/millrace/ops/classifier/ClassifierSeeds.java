package org.millrace.ops.classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.processing.LabelledText;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;

/**
 * The labelled seeds of the educational-value classifier, taken from the fetched corpus.
 * Positives are textbook-quality text: the Python manual in reST, the PostgreSQL manual, and
 * documented code (JDK sources with Javadoc, standard-library Python modules with docstrings).
 * Negatives are raw web-like text: spam mail (SpamAssassin's spam folders, not its ham), short
 * chatter (the sentences of nlp-corpus) and boilerplate pages (the link lists of the manuals'
 * index and search pages). Ham mail, the Brown corpus, speeches, the novel and the HTML manual's
 * content pages are left unlabelled: they are what the classifier is for.
 */
public final class ClassifierSeeds {
    /** Corpus sources the seeds come from (what has to be fetched before training). */
    public static final List<String> SOURCES = List.of("python-doc-rst", "postgresql-doc", "openjdk-src", "python-stdlib",
            "spam-assassin", "nlp-corpus", "python-doc-html");

    private static final Set<String> BOILERPLATE_PAGES = Set.of("py-modindex.html", "search.html", "contents.html",
            "genindex.html", "bookindex.html");

    private ClassifierSeeds() {
    }

    /** The seeds of the corpus in {@code corpusDir}, in reading order. */
    public static List<LabelledText> read(Path corpusDir, ReaderOptions options) {
        List<LabelledText> seeds = new ArrayList<>();
        try (Stream<Document> docs = Readers.forCorpus(corpusDir, options).documents(report -> { })) {
            docs.forEach(d -> {
                Boolean label = label(d);
                if (label != null) {
                    seeds.add(new LabelledText(d.text(), label, d.source(), group(d)));
                }
            });
        }
        return seeds;
    }

    /** True for a positive, false for a negative, null for a document that is no seed. */
    static Boolean label(Document d) {
        String path = d.url() == null ? "" : d.url();
        String file = path.substring(path.lastIndexOf('/') + 1);
        return switch (d.source()) {
            case "python-doc-rst" -> true;
            case "postgresql-doc" -> file.equals("bookindex.html") ? Boolean.FALSE : Boolean.TRUE;
            case "openjdk-src" -> d.text().contains("/**") ? Boolean.TRUE : null;
            case "python-stdlib" -> d.text().contains("\"\"\"") ? Boolean.TRUE : null;
            case "spam-assassin" -> path.contains("spam-") ? Boolean.FALSE : null;
            case "nlp-corpus" -> false;
            case "python-doc-html" -> BOILERPLATE_PAGES.contains(file)
                    || (file.startsWith("genindex-") && !file.equals("genindex-all.html")) ? Boolean.FALSE : null;
            default -> null;
        };
    }

    /**
     * The source document a seed belongs to, for the held-out split: an nlp-corpus sentence belongs
     * to its text ({@code doc-12/345} → {@code doc-12}); anything else is its own document.
     */
    static String group(Document d) {
        Object original = d.metadata().get("original_id");
        if (d.source().equals("nlp-corpus") && original instanceof String id && id.contains("/")) {
            return d.source() + ":" + id.substring(0, id.indexOf('/'));
        }
        return d.source() + ":" + (d.url() != null ? d.url() : d.id());
    }
}
