package org.millrace.producers.readers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.millrace.common.Document;
import org.millrace.producers.internal.Utf8Memo;

/**
 * Zip and jar archives of sources (the JDK's {@code src.zip}): every entry that is a single text by
 * its name (source code, HTML, Markdown, reST, text) is a document; compiled classes, images and
 * other binaries in the archive are passed over silently, as archives are expected to hold them.
 */
final class ArchiveCursor extends Cursor {
    private final Path file;
    private final String rel;
    private final ReadContext ctx;
    private final TextChecks checks;
    private final int part;
    private final int parts;
    private ZipFile zip;
    private Enumeration<? extends ZipEntry> entries;
    private long index;

    ArchiveCursor(Path file, String rel, ReadContext ctx) {
        this(file, rel, ctx, 0, 1);
    }

    /** Only the entries whose position in the archive is {@code part} modulo {@code parts}: one of several readers of it. */
    ArchiveCursor(Path file, String rel, ReadContext ctx, int part, int parts) {
        super(file.toString());
        this.file = file;
        this.rel = rel;
        this.ctx = ctx;
        this.checks = ctx.checks();
        this.part = part;
        this.parts = parts;
    }

    @Override
    protected Document advance() {
        if (zip == null) {
            try {
                zip = new ZipFile(file.toFile());
                entries = zip.entries();
            } catch (IOException e) {
                if (part > 0) {
                    return null; // part 0 reports it
                }
                ctx.skip(label(), 0, "cannot be read as a zip archive: " + ConcatCursor.describe(e));
                return null;
            }
        }
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (index++ % parts != part) {
                continue;
            }
            FileType type = FileType.of(entry.getName());
            if (entry.isDirectory() || !type.isSingleText()) {
                continue;
            }
            Document d = read(entry, type);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    private Document read(ZipEntry entry, FileType type) {
        String where = label() + "!/" + entry.getName();
        long cap = ctx.options().maxDocumentBytes();
        if (entry.getSize() > cap) {
            ctx.skip(where, 0, checks.sizeProblem(entry.getSize()));
            return null;
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            long size = entry.getSize();
            if (size >= 0) { // the central directory gives the size: read into an array of exactly that
                bytes = new byte[(int) size];
                int n = in.readNBytes(bytes, 0, bytes.length);
                if (n != bytes.length || in.read() != -1) {
                    throw new IOException("entry holds " + (n != bytes.length ? n + " bytes" : "more bytes") + ", not the "
                            + size + " its header says");
                }
            } else {
                bytes = in.readNBytes((int) cap + 1);
            }
        } catch (IOException e) {
            ctx.skip(where, 0, "entry cannot be read: " + ConcatCursor.describe(e));
            return null;
        }
        TextChecks.Result r = checks.decodeUtf8(bytes, bytes.length);
        if (!r.ok()) {
            ctx.skip(where, 0, r.problem());
            return null;
        }
        if (r.utf8() != null) {
            Utf8Memo.remember(r.text(), r.utf8()); // read into a fresh array: encoding the document can reuse it
        }
        String locator = rel + "!/" + entry.getName();
        return TextFileCursor.document(ctx, locator, locator, r.text(), type, entry.getName());
    }

    @Override
    protected void release() {
        Inputs.closeQuietly(zip);
    }
}
