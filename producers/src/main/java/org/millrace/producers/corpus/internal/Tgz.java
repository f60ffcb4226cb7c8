package org.millrace.producers.corpus.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Streams through the regular files of a .tgz (an npm package) without unpacking it. */
final class Tgz {
    private Tgz() {
    }

    interface EntryVisitor {
        /** @param in the entry's content; read it or not, never close it */
        void visit(String name, long size, InputStream in) throws IOException;
    }

    static void forEach(Path tgz, EntryVisitor visitor) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(tgz), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file, 1 << 16))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    visitor.visit(e.getName(), e.getSize(), tar);
                }
            }
        }
    }
}
