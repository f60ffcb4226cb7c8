package org.millrace.producers.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;

/** Zip and jar archives of sources, like the JDK's src.zip. */
class ArchiveReaderTest {
    @TempDir
    Path dir;

    static final String LIST = "package java.util;\n\n/** An ordered collection. */\npublic interface List<E> extends Collection<E> {\n"
            + "    int size();\n}\n";
    static final String README = "# util\n\nCollections of the platform.\n";

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    @Test
    void textEntriesAreDocumentsAndBinariesArePassedOver() throws IOException {
        Path src = dir.resolve("src.zip");
        try (OutputStream out = Files.newOutputStream(src); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("java.base/java/util/"));
            zip.closeEntry();
            entry(zip, "java.base/java/util/List.java", LIST.getBytes(StandardCharsets.UTF_8));
            entry(zip, "java.base/java/util/README.md", README.getBytes(StandardCharsets.UTF_8));
            entry(zip, "java.base/java/util/List.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0});
            entry(zip, "java.base/java/util/notes.txt", new byte[] {'a', 0, 'b', 0});
        }
        Collected c = Collected.read(Readers.forPath(src, ReaderOptions.defaults().withSource("jdk")));
        Map<String, Document> byUrl = c.byUrl();
        assertEquals(Map.of("src.zip!/java.base/java/util/List.java", LIST, "src.zip!/java.base/java/util/README.md", README),
                byUrl.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text())));
        Document list = byUrl.get("src.zip!/java.base/java/util/List.java");
        assertEquals(DocumentKind.CODE, list.kind());
        assertEquals("java", list.metadata().get("language"));
        assertEquals(Document.stableId("jdk", "src.zip!/java.base/java/util/List.java"), list.id());
        assertEquals(DocumentKind.TEXTBOOK, byUrl.get("src.zip!/java.base/java/util/README.md").kind());
        assertEquals(1, c.skips().size(), c.skips().toString());
        assertEquals(src + "!/java.base/java/util/notes.txt", c.skips().get(0).file());
        assertTrue(c.skips().get(0).reason().startsWith("binary content"));
    }

    @Test
    void aCorruptArchiveIsReportedAndTheDirectoryGoesOn() throws IOException {
        Files.write(dir.resolve("broken.jar"), "PK\u0003\u0004 this is not a zip".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("ok.py"), "print('ok')\n");
        Collected c = Collected.read(Readers.forPath(dir, ReaderOptions.defaults()));
        assertEquals(1, c.documents().size());
        assertTrue(c.skipOf("broken.jar").reason().startsWith("cannot be read as a zip archive"), c.skips().toString());
    }
}
