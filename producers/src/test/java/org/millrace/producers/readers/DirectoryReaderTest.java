package org.millrace.producers.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;

class DirectoryReaderTest {
    @TempDir
    Path dir;

    private static final String HTML = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Queues</title></head>"
            + "<body><nav>Home | Next</nav><h1>Queues</h1><p>A queue is first in, first out — FIFO.</p></body></html>\n";
    private static final String RST = "Queues\n======\n\nA queue is *first in, first out*.\n";
    private static final String MD = "# Stacks\n\nA stack is last in, first out (LIFO).\n";
    private static final String PY = "def fib(n):\n    \"\"\"Fibonacci numbers.\"\"\"\n    a, b = 0, 1\n"
            + "    for _ in range(n):\n        a, b = b, a + b\n    return a\n";
    private static final String JAVA = "/** Greets. */\npublic final class Hello {\n    public static void main(String[] a) {\n"
            + "        System.out.println(\"héllo\");\n    }\n}\n";
    private static final String TXT = "Call me Ishmael. Some years ago, never mind how long precisely.\n";

    private void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryKnownFileOnceWithTextKindAndStableIds() throws IOException {
        write("site/queues.html", HTML);
        write("site/_sources/queues.rst.txt", RST);
        write("notes/stacks.md", MD);
        write("code/fib.py", PY);
        write("code/Hello.java", JAVA);
        write("books/moby.txt", TXT);
        write(".git/config", "[core]\n");
        write("site/logo.png", "not really a png");

        Collected first = Collected.read(Readers.forPath(dir, ReaderOptions.defaults().withSource("mine")));
        Map<String, Document> docs = first.byUrl();
        assertEquals(Map.of("site/queues.html", HTML, "site/_sources/queues.rst.txt", RST, "notes/stacks.md", MD,
                        "code/fib.py", PY, "code/Hello.java", JAVA, "books/moby.txt", TXT),
                docs.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text())));
        assertEquals(DocumentKind.WEB, docs.get("site/queues.html").kind());
        assertEquals("text/html", docs.get("site/queues.html").metadata().get("content_type"));
        assertEquals(DocumentKind.TEXTBOOK, docs.get("site/_sources/queues.rst.txt").kind());
        assertEquals(DocumentKind.TEXTBOOK, docs.get("notes/stacks.md").kind());
        assertEquals(DocumentKind.CODE, docs.get("code/fib.py").kind());
        assertEquals("python", docs.get("code/fib.py").metadata().get("language"));
        assertEquals("java", docs.get("code/Hello.java").metadata().get("language"));
        assertEquals(DocumentKind.WEB, docs.get("books/moby.txt").kind());
        assertEquals(Document.stableId("mine", "code/fib.py"), docs.get("code/fib.py").id());
        assertTrue(docs.values().stream().allMatch(d -> d.source().equals("mine")));

        // the png is reported, the hidden directory is not read at all
        assertEquals(1, first.skips().size(), first.skips().toString());
        assertTrue(first.skipOf("logo.png").reason().contains("not a file type"));

        // a second read yields the same ids: re-ingestion is recognisable downstream
        Collected second = Collected.read(Readers.forPath(dir, ReaderOptions.defaults().withSource("mine")));
        assertEquals(ids(first), ids(second));
    }

    @Test
    void forcedKindAndDefaultSourceName() throws IOException {
        write("a.txt", TXT);
        Collected c = Collected.read(Readers.forPath(dir, ReaderOptions.defaults().withKind(DocumentKind.TEXTBOOK)));
        Document d = c.documents().get(0);
        assertEquals(DocumentKind.TEXTBOOK, d.kind());
        assertEquals(dir.getFileName().toString(), d.source());
    }

    @Test
    void badFilesAreReportedWithAReasonAndReadingGoesOn() throws IOException {
        write("a-good.txt", TXT);
        Files.write(dir.resolve("b-latin1.txt"), "caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        binary[10] = 0;
        Files.write(dir.resolve("c-binary.txt"), binary);
        byte[] controls = "ok\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008 text".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("d-controls.txt"), controls);
        Path huge = dir.resolve("e-huge.txt");
        String line = "All work and no play makes Jack a dull boy.\n".repeat(1000);
        try (BufferedWriter w = Files.newBufferedWriter(huge, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 2400; i++) { // 2,400 x 44,000 bytes: about 100 MB
                w.write(line);
            }
        }
        assertTrue(Files.size(huge) > 100_000_000L);
        Files.createSymbolicLink(dir.resolve("f-gone.txt"), dir.resolve("no-such-target.txt"));
        Files.write(dir.resolve("g-empty.md"), new byte[0]);
        write("z-good.md", MD);

        Collected c = Collected.read(Readers.forPath(dir, ReaderOptions.defaults()));
        assertEquals(List.of("a-good.txt", "z-good.md"), c.documents().stream().map(Document::url).collect(Collectors.toList()));
        assertEquals(6, c.skips().size(), c.skips().toString());
        assertEquals("invalid UTF-8 at byte offset 3", c.skipOf("b-latin1.txt").reason());
        assertEquals("binary content: NUL byte at offset 10", c.skipOf("c-binary.txt").reason());
        assertTrue(c.skipOf("d-controls.txt").reason().startsWith("binary content: "), c.skipOf("d-controls.txt").reason());
        assertTrue(c.skipOf("e-huge.txt").reason().contains("millrace.ingest.max-document-bytes = 4194304"));
        assertTrue(c.skipOf("f-gone.txt").reason().startsWith("cannot be read: NoSuchFileException"));
        assertEquals("empty document", c.skipOf("g-empty.md").reason());
        assertTrue(c.skips().stream().allMatch(s -> s.record() == 0), "whole files are skipped");
    }

    @Test
    void aMissingPathIsReportedNotThrown() {
        Collected c = Collected.read(Readers.forPath(dir.resolve("nothing-here"), ReaderOptions.defaults()));
        assertTrue(c.documents().isEmpty());
        assertEquals("cannot be read: no such file or directory", c.skips().get(0).reason());
    }

    @Test
    void severalPathsAreReadInTurn() throws IOException {
        write("one/a.txt", TXT);
        write("two/b.md", MD);
        Collected c = Collected.read(Readers.forPaths(List.of(dir.resolve("one"), dir.resolve("two")), ReaderOptions.defaults()));
        assertEquals(List.of("one", "two"), c.documents().stream().map(Document::source).collect(Collectors.toList()));
        assertFalse(c.documents().get(0).id().equals(c.documents().get(1).id()));
    }

    private static List<String> ids(Collected c) {
        return c.documents().stream().map(Document::id).sorted().collect(Collectors.toList());
    }
}
