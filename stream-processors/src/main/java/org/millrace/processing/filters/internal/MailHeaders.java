package org.millrace.processing.filters.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header block of an RFC-822 message at the start of a text, for documents that arrive as raw
 * mail (the mail reader parses messages itself and keeps only the subject and the text parts; JSONL
 * or plain-text inputs may hold whole messages). A block counts as headers when it starts the text,
 * every line is a header field ({@code Name: value}) or its folded continuation, it ends at an
 * empty line, and it has at least {@link #MIN_FIELDS} fields including one of the fields every
 * message has. Hand-written because only the block's end is needed, not a parse of the message.
 */
public final class MailHeaders {
    static final int MIN_FIELDS = 3;
    private static final Pattern FIELD = Pattern.compile("^([!-9;-~]+):[ \\t]?(.*)$");
    private static final Set<String> MESSAGE_FIELDS = Set.of("from", "to", "subject", "date", "received",
            "message-id", "return-path", "delivered-to");

    private MailHeaders() {
    }

    /** The text without its leading header block, keeping the subject as its first line; null if there is none. */
    public static String strip(String text) {
        int pos = 0;
        if (text.startsWith("From ")) { // mbox envelope line
            pos = lineEnd(text, 0) + 1;
        }
        int fields = 0;
        boolean messageField = false;
        String subject = null;
        boolean inSubject = false;
        while (pos < text.length()) {
            int end = lineEnd(text, pos);
            String line = text.substring(pos, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                if (fields < MIN_FIELDS || !messageField) {
                    return null;
                }
                String body = end >= text.length() ? "" : text.substring(end + 1);
                return subject == null || subject.isBlank() ? body : subject.strip() + "\n\n" + body;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (fields == 0) {
                    return null;
                }
                if (inSubject) {
                    subject = subject + " " + line.strip();
                }
            } else {
                Matcher m = FIELD.matcher(line);
                if (!m.matches()) {
                    return null;
                }
                fields++;
                String name = m.group(1).toLowerCase(Locale.ROOT);
                messageField |= MESSAGE_FIELDS.contains(name);
                inSubject = name.equals("subject");
                if (inSubject) {
                    subject = m.group(2);
                }
            }
            pos = end + 1;
        }
        return null; // headers without a body: not a message block we can tell from text
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }
}
