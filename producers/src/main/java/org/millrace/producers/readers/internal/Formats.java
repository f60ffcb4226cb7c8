package org.millrace.producers.readers.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the cursor that reads a file of a given type. */
public final class Formats {
    private Formats() {
    }

    /**
     * @param file the file
     * @param rel  its path relative to the input root, '/'-separated: the locator of stable ids
     * @return null when no reader reads files of this type
     */
    public static Cursor open(Path file, String rel, FileType type, ReadContext ctx) {
        switch (type) {
            case HTML: case MARKDOWN: case RST: case TEXT: case CODE:
                return new TextFileCursor(file, rel, type, ctx);
            case JSONL:
                return new JsonlCursor(file, rel, ctx);
            case WARC:
                return new WarcCursor(file, rel, ctx);
            case MAIL:
                return new MailCursor(file, rel, ctx, false);
            case MBOX:
                return new MailCursor(file, rel, ctx, true);
            case ARCHIVE:
                return new ArchiveCursor(file, rel, ctx);
            default:
                return null;
        }
    }

    /** A cursor over any path: a directory walked, or a file by its type; null (reported) when unreadable. */
    public static Cursor openPath(Path path, ReadContext ctx) {
        if (Files.isDirectory(path)) {
            return new DirectoryCursor(path, ctx);
        }
        if (!Files.exists(path)) {
            ctx.skip(path.toString(), 0, "cannot be read: no such file or directory");
            return null;
        }
        String name = path.getFileName().toString();
        Cursor c = open(path, name, FileType.of(name), ctx);
        if (c == null) {
            ctx.skip(path.toString(), 0, "not a file type Millrace reads (by its name)");
        }
        return c;
    }
}
