package org.millrace.ops.classifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusRole;

/**
 * A corpus directory in the fetched layout with every seed source of the classifier, a few small
 * made-up documents each (manual-like prose and documented code; spam, chatter and index pages),
 * plus documents that are no seeds (ham mail, an HTML content page, undocumented code).
 */
public final class MiniCorpus {
    private static final String[] SUBJECTS = {"function", "buffer", "index", "transaction", "iterator", "module", "table",
            "query", "parser", "socket", "thread", "encoding"};
    private static final String[] VERBS = {"returns", "describes", "stores", "reads", "writes", "creates", "closes", "locks"};
    private static final String[] SPAM = {"cheap", "viagra", "winner", "free", "cash", "offer", "click", "unsubscribe",
            "mortgage", "casino", "lowest", "prices", "guaranteed", "money", "bonus", "deal"};

    private MiniCorpus() {
    }

    static String prose(SplittableRandom r, int sentences) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            b.append("The ").append(pick(r, SUBJECTS)).append(' ').append(pick(r, VERBS)).append(" the ")
                    .append(pick(r, SUBJECTS)).append(" of a ").append(pick(r, SUBJECTS)).append(" when the ")
                    .append(pick(r, SUBJECTS)).append(" is called. ");
        }
        return b.toString();
    }

    static String spam(SplittableRandom r, int sentences) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            b.append(pick(r, SPAM).toUpperCase()).append(' ').append(pick(r, SPAM)).append(' ').append(pick(r, SPAM))
                    .append(" now!!! ").append(pick(r, SPAM)).append(' ').append(pick(r, SPAM)).append(" today. ");
        }
        return b.toString();
    }

    private static String pick(SplittableRandom r, String[] words) {
        return words[r.nextInt(words.length)];
    }

    /** Writes the corpus and its manifest into {@code dir}. */
    public static void write(Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        List<CorpusManifest.Source> sources = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            put(dir.resolve("python-doc-rst/library/m" + i + ".rst.txt"), "Module m" + i + "\n=========\n\n.. function:: f" + i
                    + "()\n\n   " + prose(r, 6) + "\n");
            put(dir.resolve("postgresql-doc/page" + i + ".html"), "<!DOCTYPE html><html><body><div class=\"navheader\">Prev Next</div><p>"
                    + prose(r, 6) + "</p></body></html>");
            put(dir.resolve("openjdk-src/java/util/C" + i + ".java"), "package java.util;\n/**\n * " + prose(r, 4)
                    + "\n */\npublic class C" + i + " {\n}\n");
            put(dir.resolve("python-stdlib/mod" + i + ".py"), "\"\"\"" + prose(r, 4) + "\"\"\"\n\ndef f():\n    return " + i + "\n");
            put(dir.resolve("spam-assassin/spam-1/" + i + ".eml"), "From: a@b.example\nTo: c@d.example\nSubject: " + spam(r, 1)
                    + "\nMessage-ID: <" + i + "@b.example>\n\n" + spam(r, 6) + "\n");
            put(dir.resolve("spam-assassin/easy-ham-1/" + i + ".eml"), "From: a@b.example\nTo: c@d.example\nSubject: lunch\n"
                    + "Message-ID: <h" + i + "@b.example>\n\nShall we meet at noon?\n");
            put(dir.resolve("python-doc-html/genindex-" + (char) ('A' + i) + ".html"), "<!DOCTYPE html><html><body><ul>"
                    + "<li><a href=\"x.html\">" + spam(r, 3) + "</a></li></ul></body></html>");
        }
        put(dir.resolve("openjdk-src/java/util/Undocumented.java"), "package java.util;\nclass Undocumented {\n}\n");
        put(dir.resolve("python-doc-html/library/page.html"), "<!DOCTYPE html><html><body><p>" + prose(r, 6) + "</p></body></html>");
        StringBuilder jsonl = new StringBuilder();
        for (int doc = 0; doc < 12; doc++) {
            for (int line = 0; line < 6; line++) {
                jsonl.append("{\"id\":\"doc-").append(doc).append('/').append(line).append("\",\"text\":\"")
                        .append(spam(r, 2)).append("\"}\n");
            }
        }
        put(dir.resolve("nlp-corpus/nlp-corpus.jsonl"), jsonl.toString());
        sources.add(source("python-doc-rst", CorpusRole.TEXTBOOK, "rst"));
        sources.add(source("postgresql-doc", CorpusRole.TEXTBOOK, "html"));
        sources.add(source("openjdk-src", CorpusRole.CODE, "code"));
        sources.add(source("python-stdlib", CorpusRole.CODE, "code"));
        sources.add(source("spam-assassin", CorpusRole.WEB, "mail"));
        sources.add(source("nlp-corpus", CorpusRole.WEB, "jsonl"));
        sources.add(source("python-doc-html", CorpusRole.WEB, "html"));
        new CorpusManifest(CorpusManifest.FORMAT_VERSION, sources).write(dir);
    }

    private static CorpusManifest.Source source(String name, CorpusRole role, String format) {
        return new CorpusManifest.Source(name, "test", name, "1", "CC0-1.0", name, "0".repeat(64), 1, 1, 1, role, format,
                "2025-01-01T00:00:00Z");
    }

    private static void put(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
