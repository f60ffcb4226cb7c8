package org.millrace.producers.readers.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.millrace.common.Document;
import org.millrace.producers.internal.Utf8Memo;

/** One file, one document: HTML, Markdown, reST, plain text and source code. */
final class TextFileCursor extends Cursor {
    private final Path file;
    private final String rel;
    private final FileType type;
    private final ReadContext ctx;
    private boolean done;

    TextFileCursor(Path file, String rel, FileType type, ReadContext ctx) {
        super(file.toString());
        this.file = file;
        this.rel = rel;
        this.type = type;
        this.ctx = ctx;
    }

    @Override
    protected Document advance() {
        if (done) {
            return null;
        }
        done = true;
        TextChecks checks = ctx.checks();
        byte[] bytes;
        try {
            String tooLarge = checks.sizeProblem(Files.size(file));
            if (tooLarge != null) {
                ctx.skip(label(), 0, tooLarge);
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            ctx.skip(label(), 0, "cannot be read: " + ConcatCursor.describe(e));
            return null;
        }
        TextChecks.Result r = checks.decodeUtf8(bytes, bytes.length);
        if (!r.ok()) {
            ctx.skip(label(), 0, r.problem());
            return null;
        }
        if (r.utf8() != null) {
            Utf8Memo.remember(r.text(), r.utf8()); // read into a fresh array: encoding the document can reuse it
        }
        return document(ctx, rel, rel, r.text(), type, rel);
    }

    /** A document of a single-text file or archive entry named {@code name}. */
    static Document document(ReadContext ctx, String locator, String url, String text, FileType type, String name) {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("content_type", FileType.contentType(type, name));
        String language = type == FileType.CODE ? FileType.language(name) : null;
        if (language != null) {
            metadata.put("language", language);
        }
        return new Document(ctx.id(locator), text, ctx.source(), ctx.kind(type.kind()), url, metadata);
    }
}
