package org.millrace.producers.readers.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.MimeException;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;

/**
 * RFC-822 mail: one message per {@code .eml} file, or many in an mbox. Messages are streamed through
 * mime4j ({@link MailText}: multipart, transfer encodings, charsets, encoded words); a document holds
 * the subject and the text/plain parts, or the raw text/html part when there is no plain one. The mbox is split
 * here on "From " lines that follow an empty line, and ">From " lines are unescaped (mboxrd):
 * hand-written so that an mbox of any size streams through with one message in memory.
 */
final class MailCursor extends Cursor {
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};
    private final Path file;
    private final String rel;
    private final ReadContext ctx;
    private final boolean mbox;
    private final TextChecks checks;
    private InputStream in;
    private ByteLines lines;
    private boolean singleDone;
    private boolean previousEmpty = true;
    private long index;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream(16 * 1024);
    private boolean overlong;

    MailCursor(Path file, String rel, ReadContext ctx, boolean mbox) {
        super(file.toString());
        this.file = file;
        this.rel = rel;
        this.ctx = ctx;
        this.mbox = mbox;
        this.checks = ctx.checks();
    }

    @Override
    protected Document advance() {
        return mbox ? nextOfMbox() : single();
    }

    private Document single() {
        if (singleDone) {
            return null;
        }
        singleDone = true;
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
        int start = 0;
        if (startsWithFrom(bytes, 0, bytes.length)) { // an mbox envelope line before the headers
            while (start < bytes.length && bytes[start] != '\n') {
                start++;
            }
            start++;
        }
        return document(bytes, Math.min(start, bytes.length), bytes.length, rel, 0);
    }

    private Document nextOfMbox() {
        try {
            if (lines == null) {
                in = Inputs.open(file);
                lines = new ByteLines(in, (int) ctx.options().maxDocumentBytes());
            }
            while (lines.next()) {
                byte[] b = lines.bytes();
                int len = lines.length();
                boolean separator = previousEmpty && !lines.overlong() && startsWithFrom(b, 0, len);
                previousEmpty = len == 0 || (len == 1 && b[0] == '\r');
                if (separator) {
                    Document d = finishMessage();
                    if (d != null) {
                        return d;
                    }
                    continue;
                }
                append(b, len);
            }
            return finishMessage();
        } catch (IOException e) {
            ctx.skip(label(), lines == null ? 0 : index + 1, (lines == null ? "cannot be read: "
                    : "reading stopped (truncated or corrupt file): ") + ConcatCursor.describe(e));
            return null;
        }
    }

    private void append(byte[] b, int len) {
        if (lines.overlong() || message.size() + (long) len + 1 > ctx.options().maxDocumentBytes()) {
            overlong = true;
        }
        if (overlong) {
            return;
        }
        int from = 0;
        if (len > 0 && b[0] == '>') { // mboxrd: ">From " and ">>From " lose one '>'
            int i = 0;
            while (i < len && b[i] == '>') {
                i++;
            }
            if (startsWithFrom(b, i, len)) {
                from = 1;
            }
        }
        message.write(b, from, len - from);
        message.write('\n');
    }

    /** The document of the message collected so far (null if there is none or it is skipped). */
    private Document finishMessage() {
        boolean hadContent = message.size() > 0 || overlong;
        if (!hadContent) {
            return null;
        }
        index++;
        Document d = null;
        if (overlong) {
            ctx.skip(label(), index, "message is larger than millrace.ingest.max-document-bytes = "
                    + ctx.options().maxDocumentBytes());
        } else {
            byte[] bytes = message.toByteArray();
            int end = bytes.length;
            if (end >= 2 && bytes[end - 1] == '\n' && bytes[end - 2] == '\n') {
                end--; // the empty line before the next "From " separates messages; it is not content
            }
            d = document(bytes, 0, end, rel + "#" + index, index);
        }
        message.reset();
        overlong = false;
        return d;
    }

    private Document document(byte[] bytes, int offset, int end, String locator, long record) {
        MailText.Parts m;
        try {
            m = MailText.parse(bytes, offset, end - offset);
        } catch (IOException | MimeException | RuntimeException e) {
            ctx.skip(label(), record, "not a readable RFC-822 message: " + ConcatCursor.describe(e));
            return null;
        }
        List<String> plain = m.plain();
        List<String> html = m.html();
        String subject = m.subject();
        boolean hasPlain = plain.stream().anyMatch(p -> !p.isBlank());
        boolean asHtml = !hasPlain && html.stream().anyMatch(h -> !h.isBlank());
        if (!hasPlain && !asHtml) {
            ctx.skip(label(), record, "message has no text part");
            return null;
        }
        String body = String.join("\n\n", asHtml ? html : plain);
        String text = asHtml || subject == null || subject.isBlank() ? body : subject.strip() + "\n\n" + body;
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("content_type", asHtml ? "text/html" : "text/plain");
        if (subject != null) {
            metadata.put("subject", subject.strip());
        }
        if (m.messageId() != null) {
            metadata.put("message_id", m.messageId());
        }
        if (m.date() != null) {
            metadata.put("date", m.date().strip());
        }
        TextChecks.Result checked = checks.checkText(text);
        if (!checked.ok()) {
            ctx.skip(label(), record, checked.problem());
            return null;
        }
        return new Document(ctx.id(locator), checked.text(), ctx.source(), ctx.kind(DocumentKind.WEB), rel, metadata);
    }

    private static boolean startsWithFrom(byte[] b, int from, int len) {
        if (len - from < FROM.length) {
            return false;
        }
        for (int i = 0; i < FROM.length; i++) {
            if (b[from + i] != FROM[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void release() {
        Inputs.closeQuietly(in);
    }
}
