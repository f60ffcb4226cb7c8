package org.millrace.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.EvalTaskDefinition;
import org.millrace.common.evalsets.HeldOutDocument;
import org.millrace.evaluation.sets.EvalSetSettings;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusRole;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;

/**
 * Set construction on a small corpus laid out as the fetcher lays out the real one (same source names,
 * formats and manifest): every task is made, items record their sources, the held-out ids are the ids
 * corpus ingestion gives those documents, the build is reproducible, and a licence header shared by
 * many training files lands on the allow-list.
 */
class EvalSetBuilderTest {
    private static final String LICENCE = "/* Copyright (c) the authors. This code is free software; you can redistribute it and/or "
            + "modify it under the terms of the licence that came with it. */\n";
    private static final String[] WORDS = {"whale", "ship", "sea", "captain", "harpoon", "sailor", "deck", "ocean", "storm", "boat",
            "rope", "mast", "wind", "wave", "island", "harbour", "lantern", "anchor"};

    @TempDir
    Path tmp;

    private static EvalSetSettings settings() {
        return new EvalSetSettings(11, 3, 2, 2, 2, 200, 48 * 1024, 20, 10, 20, 10, 4, 3);
    }

    @Test
    void buildsEveryTaskReproduciblyWithTheIdsIngestionGives() throws IOException {
        Path corpus = corpus(tmp.resolve("corpus"));
        List<String> progress = new ArrayList<>();
        EvalSetBuilder.Built built = new EvalSetBuilder(settings(), progress::add).build(corpus, tmp.resolve("eval"));
        assertEquals(List.of("bpb_prose", "cloze_prose", "bpb_docs", "doctest", "bpb_code_python", "bpb_code_java", "quiz", "wordnet"),
                built.manifest().tasks().stream().map(EvalTaskDefinition::name).toList(), String.join("\n", progress));

        EvalSetRegistry registry = EvalSetRegistry.open(tmp.resolve("eval"), List.of());
        for (EvalTaskDefinition t : registry.tasks()) {
            for (EvalItem item : registry.items(t.name())) {
                assertEquals(t.sources().get(0), item.source(), t.name() + " item " + item.id() + " records its source");
            }
        }
        assertEquals(3, registry.items("bpb_prose").size());
        EvalItem doctest = registry.items("doctest").get(0);
        assertTrue(doctest.context().endsWith("\n") && doctest.context().contains(">>> "), doctest.context());
        EvalItem quiz = registry.items("quiz").get(0);
        assertEquals(4, quiz.choices().size());
        assertTrue(quiz.context().startsWith("Quiz: state\nstate: "), quiz.context());

        // held out: 3 chapters, 2 pages and their HTML twins, 2 + 2 code files; ingestion of the corpus sees them by these ids
        List<HeldOutDocument> held = registry.heldOut();
        assertEquals(3 + 2 + 2 + 2 + 2, held.size());
        assertEquals(2, held.stream().filter(h -> h.source().equals("python-doc-html")).count());
        Set<String> ingested;
        try (Stream<Document> docs = Readers.forCorpus(corpus, ReaderOptions.defaults()).documents(s -> { })) {
            ingested = docs.map(Document::id).collect(Collectors.toSet());
        }
        assertTrue(ingested.containsAll(registry.heldOutIds()), "every held-out id is an id the corpus readers produce");
        Set<String> bpbDocIds = Stream.of("bpb_prose", "bpb_docs", "bpb_code_python", "bpb_code_java")
                .flatMap(t -> registry.items(t).stream()).map(EvalItem::docId).collect(Collectors.toSet());
        assertTrue(registry.heldOutIds().containsAll(bpbDocIds));

        assertTrue(registry.allowList().stream().anyMatch(p -> p.startsWith("copyright c the authors this code is free software")),
                "the licence header of every JDK file is common text: " + registry.allowList());
        assertFalse(registry.allowList().stream().anyMatch(p -> p.contains("whale")), "prose is not common text");

        // the same corpus and settings give the same files
        EvalSetBuilder.Built again = new EvalSetBuilder(settings(), s -> { }).build(corpus, tmp.resolve("eval2"));
        assertEquals(built.manifest().tasks().stream().map(EvalTaskDefinition::sha256).toList(),
                again.manifest().tasks().stream().map(EvalTaskDefinition::sha256).toList());
        assertEquals(Files.readString(tmp.resolve("eval/held-out.jsonl")), Files.readString(tmp.resolve("eval2/held-out.jsonl")));
    }

    /** A corpus of the real layout: text chapters, reST + HTML pages, .py files, a src.zip, quiz and WordNet files. */
    private static Path corpus(Path dir) throws IOException {
        Random random = new Random(5);
        List<CorpusManifest.Source> sources = new ArrayList<>();
        for (int c = 1; c <= 10; c++) {
            StringBuilder text = new StringBuilder("CHAPTER " + c + ".\n\n");
            for (int p = 0; p < 4; p++) {
                for (int s = 0; s < 5; s++) {
                    text.append(sentence(random)).append(' ');
                }
                text.append("\n\n");
            }
            write(dir.resolve("moby-dick/chapter_" + c + ".txt"), text.toString());
        }
        sources.add(source("moby-dick", CorpusRole.WEB, "text"));
        for (int p = 1; p <= 5; p++) {
            String page = "Module " + p + "\n========\n\n" + sentence(random) + "\n\nExample::\n\n   >>> x = " + p + "\n   >>> x + 1\n   "
                    + (p + 1) + "\n   >>> str(x) * 2\n   '" + p + p + "'\n\n" + sentence(random) + " " + sentence(random) + "\n";
            write(dir.resolve("python-doc-rst/library/mod" + p + ".rst.txt"), page);
            write(dir.resolve("python-doc-html/library/mod" + p + ".html"), "<html><body><p>" + page + "</p></body></html>");
        }
        sources.add(source("python-doc-rst", CorpusRole.TEXTBOOK, "rst"));
        sources.add(source("python-doc-html", CorpusRole.WEB, "html"));
        for (int f = 1; f <= 5; f++) {
            write(dir.resolve("python-stdlib/mod" + f + ".py"), "\"\"\"Module " + f + ".\"\"\"\n\ndef f" + f + "(x):\n    return x * " + f
                    + "\n\n# " + sentence(random) + "\n# " + sentence(random) + "\n");
        }
        sources.add(source("python-stdlib", CorpusRole.CODE, "code"));
        Files.createDirectories(dir.resolve("openjdk-src"));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("openjdk-src/src.zip")))) {
            for (int f = 1; f <= 8; f++) {
                zip.putNextEntry(new ZipEntry("java.base/java/util/Thing" + f + ".java"));
                zip.write((LICENCE + "package java.util;\n\n/** " + sentence(random) + " */\npublic final class Thing" + f
                        + " {\n    int size() {\n        return " + f + ";\n    }\n}\n// " + sentence(random) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        sources.add(source("openjdk-src", CorpusRole.CODE, "zip"));
        write(dir.resolve("quiz/index"), "/usr/share/games/bsdgames/quiz/state:state:cap{ital}\n/usr/share/games/bsdgames/quiz/ed:function:ed-command\n");
        write(dir.resolve("quiz/state"), "Alabama|AL:Montgomery\nAlaska:Juneau\nArizona:Phoenix\nArkansas:Little Rock\n"
                + "California:Sacramento\nColorado:Denver\n");
        write(dir.resolve("quiz/ed"), "print:p\n");
        sources.add(source("quiz", CorpusRole.EVAL, "quiz"));
        StringBuilder nouns = new StringBuilder("  1 This software and database is being provided to you, the LICENSEE\n");
        String[][] synsets = {{"harpoon", "a spear with a barbed head used in hunting large fish"},
                {"lantern", "a light enclosed in a case with transparent sides"},
                {"anchor", "a mechanical device that prevents a vessel from moving away"},
                {"mast", "a vertical spar carrying the sails of a vessel"},
                {"galley", "the kitchen area aboard a vessel or an aircraft"},
                {"keel", "the main structural member along the bottom of a vessel"}};
        for (int i = 0; i < synsets.length; i++) {
            nouns.append(String.format("%08d 06 n 01 %s 0 000 | %s; \"an example\"%n", 1000 + i, synsets[i][0], synsets[i][1]));
        }
        write(dir.resolve("wordnet/data.noun"), nouns.toString());
        sources.add(source("wordnet", CorpusRole.EVAL, "wordnet"));
        new CorpusManifest(CorpusManifest.FORMAT_VERSION, sources).write(dir);
        return dir;
    }

    private static String sentence(Random random) {
        StringBuilder s = new StringBuilder("The");
        int n = 9 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            s.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return s.append('.').toString();
    }

    private static CorpusManifest.Source source(String name, CorpusRole role, String format) {
        return new CorpusManifest.Source(name, "test", name, "1", "test", name, "0".repeat(64), 1, 1, 1, role, format, "2025-01-01T00:00:00Z");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
