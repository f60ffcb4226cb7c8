package org.millrace.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.EvalSetManifest;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.EvalTaskDefinition;
import org.millrace.common.evalsets.EvalTaskType;
import org.millrace.common.evalsets.HeldOutDocument;
import org.millrace.evaluation.sets.EvalSetSettings;
import org.millrace.evaluation.sets.SetMakers;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;

/**
 * Builds the evaluation sets from a fetched corpus into the registry directory: held-out slices per
 * domain for bits per byte (prose: Moby-Dick chapters; documentation: Python manual pages; code: Python
 * standard-library and JDK files), multiple choice (bsdgames quiz, WordNet definitions, cloze on the
 * held-out prose), exact match (doctests of the held-out manual pages); the list of held-out documents
 * ingestion must skip; and the allow-list of 13-grams common in the training corpus. Every sampling
 * step is seeded ({@code millrace.eval.sets.seed}); the same corpus and settings give the same files.
 * A source missing from the corpus leaves its tasks out, with a notice.
 */
public final class EvalSetBuilder {
    static final String PROSE = "moby-dick";
    static final String DOCS = "python-doc-rst";
    static final String DOCS_HTML = "python-doc-html";
    static final String PYTHON = "python-stdlib";
    static final String JAVA = "openjdk-src";
    static final String QUIZ = "quiz";
    static final String WORDNET = "wordnet";
    /** Words per n-gram of the allow-list; the filter's long n-gram must match it. */
    public static final int ALLOW_LIST_NGRAM = 13;

    private final EvalSetSettings settings;
    private final Consumer<String> progress;

    public EvalSetBuilder(EvalSetSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** What a build made. */
    public record Built(EvalSetManifest manifest, int heldOutDocuments, long allowListPhrases, long trainingDocumentsScanned,
                        long trainingDocumentsSharing, long trainingDocumentsSharingAfterAllowList, List<String> notices) {
    }

    public Built build(Path corpusDir, Path registryDir) {
        CorpusManifest corpus = CorpusManifest.load(corpusDir);
        List<String> notices = new ArrayList<>();
        Map<String, List<EvalItem>> items = new LinkedHashMap<>();
        List<EvalTaskDefinition> tasks = new ArrayList<>();
        List<HeldOutDocument> heldOut = new ArrayList<>();
        try {
            Optional<List<Document>> prose = read(corpus, corpusDir, PROSE, notices);
            prose.ifPresent(docs -> {
                List<Document> held = SetMakers.heldOut(docs, settings.proseDocuments(), settings, d -> true, "prose");
                addText("bpb_prose", "Bits per byte of held-out Moby-Dick chapters (prose).", PROSE, held, tasks, items, heldOut);
                add(new EvalTaskDefinition("cloze_prose", EvalTaskType.MULTIPLE_CHOICE, 1, "", 0, null,
                        "Last word of a sentence of the held-out Moby-Dick chapters among words ending other sentences.",
                        List.of(PROSE), null), SetMakers.cloze(held, PROSE, settings), tasks, items);
            });
            read(corpus, corpusDir, DOCS, notices).ifPresent(docs -> {
                List<Document> held = SetMakers.heldOut(docs, settings.docsPages(), settings, d -> d.text().contains(">>> "), "docs");
                addText("bpb_docs", "Bits per byte of held-out Python manual pages (reST sources with examples).", DOCS, held,
                        tasks, items, heldOut);
                corpus.source(DOCS_HTML).ifPresent(html -> held.forEach(d -> {
                    String twin = d.url().replaceAll("\\.rst\\.txt$", ".html");
                    if (Files.isRegularFile(corpusDir.resolve(html.path()).resolve(twin))) {
                        heldOut.add(new HeldOutDocument(Document.stableId(DOCS_HTML, twin), DOCS_HTML, twin, "bpb_docs"));
                    }
                }));
                add(new EvalTaskDefinition("doctest", EvalTaskType.EXACT_MATCH, 1, "", 0, null,
                        "Python doctest continuation: the output line after '>>> expr' in held-out manual pages, greedy decoding.",
                        List.of(DOCS), null), SetMakers.doctests(held, DOCS, settings), tasks, items);
            });
            read(corpus, corpusDir, PYTHON, notices).ifPresent(docs -> addText("bpb_code_python",
                    "Bits per byte of held-out Python standard-library modules (code).", PYTHON,
                    SetMakers.heldOut(docs, settings.pythonFiles(), settings, d -> true, "python"), tasks, items, heldOut));
            read(corpus, corpusDir, JAVA, notices).ifPresent(docs -> addText("bpb_code_java",
                    "Bits per byte of held-out JDK source files (code).", JAVA,
                    SetMakers.heldOut(docs, settings.javaFiles(), settings, d -> true, "java"), tasks, items, heldOut));
            Optional<CorpusManifest.Source> quiz = present(corpus, corpusDir, QUIZ, notices);
            if (quiz.isPresent()) {
                add(new EvalTaskDefinition("quiz", EvalTaskType.MULTIPLE_CHOICE, 1, "", 0, null,
                        "Closed-book bsdgames quiz questions; distractors are answers of the same quiz topic.",
                        List.of(QUIZ), null), SetMakers.quiz(corpusDir.resolve(quiz.get().path()), QUIZ, settings), tasks, items);
            }
            Optional<CorpusManifest.Source> wordnet = present(corpus, corpusDir, WORDNET, notices);
            if (wordnet.isPresent()) {
                add(new EvalTaskDefinition("wordnet", EvalTaskType.MULTIPLE_CHOICE, 1, "", 0, null,
                        "WordNet definition to word; distractors are words of other synsets of the same part of speech.",
                        List.of(WORDNET), null), SetMakers.wordnet(corpusDir.resolve(wordnet.get().path()), WORDNET, settings),
                        tasks, items);
            }
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("building the evaluation sets from " + corpusDir + " failed: " + e.getMessage(), e.getCause());
        }
        if (tasks.isEmpty()) {
            throw new IllegalStateException("the corpus at " + corpusDir + " has none of the sources the evaluation sets are made of: "
                    + List.of(PROSE, DOCS, PYTHON, JAVA, QUIZ, WORDNET) + " (" + String.join("; ", notices) + ")");
        }
        progress.accept("scanning the training corpus for 13-grams shared with the evaluation sets (the allow-list)");
        Set<String> heldIds = heldOut.stream().map(HeldOutDocument::id).collect(Collectors.toSet());
        var allow = SetMakers.allowList(corpusDir, new ArrayList<>(items.values()), heldIds, ALLOW_LIST_NGRAM,
                settings.allowListMinDocuments(), progress);
        Map<String, String> versions = new LinkedHashMap<>();
        corpus.sources().forEach(s -> versions.put(s.name(), s.pkg() + " " + s.version()));
        EvalSetManifest draft = new EvalSetManifest(EvalSetManifest.FORMAT_VERSION, EvalSetSettings.VERSION, settings.seed(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), versions, settings.asMap(), tasks, null, null);
        try {
            EvalSetManifest written = EvalSetRegistry.write(registryDir, draft, items, heldOut, allow.phrases());
            return new Built(written, heldOut.size(), allow.phrases().size(), allow.documents(), allow.sharing(),
                    allow.sharingAfterAllowList(), notices);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation sets to " + registryDir + ": " + e.getMessage(), e);
        }
    }

    private void addText(String name, String description, String source, List<Document> held, List<EvalTaskDefinition> tasks,
                         Map<String, List<EvalItem>> items, List<HeldOutDocument> heldOut) {
        List<EvalItem> list = held.stream().map(d -> EvalItem.text(d.url(), source, d.id(), d.text())).toList();
        add(new EvalTaskDefinition(name, EvalTaskType.BITS_PER_BYTE, 1, "", 0, null, description, List.of(source), null),
                list, tasks, items);
        held.forEach(d -> heldOut.add(new HeldOutDocument(d.id(), source, d.url(), name)));
    }

    private void add(EvalTaskDefinition task, List<EvalItem> list, List<EvalTaskDefinition> tasks, Map<String, List<EvalItem>> items) {
        if (list.isEmpty()) {
            progress.accept(task.name() + ": no items could be made; left out");
            return;
        }
        tasks.add(task);
        items.put(task.name(), list);
        progress.accept(String.format("%s: %d items", task.name(), list.size()));
    }

    private Optional<CorpusManifest.Source> present(CorpusManifest corpus, Path dir, String name, List<String> notices) {
        Optional<CorpusManifest.Source> s = corpus.source(name);
        if (s.isEmpty() || !Files.exists(dir.resolve(s.get().path()))) {
            String m = "source " + name + " is not in the corpus; its tasks are left out";
            notices.add(m);
            progress.accept(m);
            return Optional.empty();
        }
        return s;
    }

    /** Every document of one training source, with the ids and locators ingestion gives them. */
    private Optional<List<Document>> read(CorpusManifest corpus, Path dir, String name, List<String> notices) {
        return present(corpus, dir, name, notices).map(s -> {
            DocumentKind kind = s.role().documentKind().orElse(DocumentKind.WEB);
            ReaderOptions options = ReaderOptions.defaults().withSource(name).withKind(kind);
            try (Stream<Document> docs = Readers.forPath(dir.resolve(s.path()), options).documents(skip -> { })) {
                return docs.toList();
            }
        });
    }
}
