package org.millrace.producers.readers.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.FieldParser;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.UnstructuredField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.ContentUtil;

/**
 * The text of one RFC-822 message, read with mime4j's {@link MimeTokenStream}: the top-level subject,
 * message id and date, and the decoded text/plain and text/html parts that are not attachments, in
 * order (message/rfc822 parts recursed into; a multipart with no part gives its preamble as plain
 * text). Streaming instead of building the whole message (mime4j's {@code DefaultMessageBuilder})
 * skips the bodies of attachments and other parts without decoding or copying them, and builds no
 * object tree: that was the largest single cost of reading the corpus's mails. Only the fields used
 * here (Subject, Content-Disposition) go through the lenient field parser; Content-Type is read by
 * the stream's own body descriptor. The settings are those the message builder uses (permissive
 * config, lenient field parser, silent decode monitor, the JVM's default charset for a missing or
 * unknown charset), so the extracted text is the same: checked on all 6,046 SpamAssassin mails of
 * the default corpus (subject, message id, date, every text part), against the message builder.
 */
final class MailText {
    private static final MimeConfig CONFIG = MimeConfig.PERMISSIVE;
    private static final FieldParser<?> FIELDS = LenientFieldParser.getParser();

    /** What a message yields; subject, message id and date are null when the header has none. */
    record Parts(String subject, String messageId, String date, List<String> plain, List<String> html) {
    }

    private MailText() {
    }

    static Parts parse(byte[] bytes, int offset, int length) throws IOException, MimeException {
        MimeTokenStream stream = new MimeTokenStream(CONFIG, DecodeMonitor.SILENT, null); // null: the stream's own body descriptors
        stream.setRecursionMode(RecursionMode.M_RECURSE);
        stream.parse(new ByteArrayInputStream(bytes, offset, length));
        List<String> plain = new ArrayList<>();
        List<String> html = new ArrayList<>();
        Deque<Multipart> multiparts = new ArrayDeque<>();
        String subject = null;
        String messageId = null;
        String date = null;
        boolean topHeader = true;
        String disposition = null; // of the entity whose header is being read or whose body follows
        boolean dispositionSeen = false;
        for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
            switch (state) {
                case T_START_HEADER -> {
                    disposition = null;
                    dispositionSeen = false;
                }
                case T_FIELD -> {
                    Field field = stream.getField();
                    String name = field.getName();
                    if (!dispositionSeen && "Content-Disposition".equalsIgnoreCase(name)) {
                        dispositionSeen = true; // the first one counts, as Entity.getDispositionType reads it
                        disposition = FIELDS.parse(field, DecodeMonitor.SILENT) instanceof ContentDispositionField cd
                                ? cd.getDispositionType() : null;
                    }
                    if (topHeader) {
                        if (subject == null && "Subject".equalsIgnoreCase(name)) {
                            subject = ((UnstructuredField) FIELDS.parse(field, DecodeMonitor.SILENT)).getValue();
                        } else if (messageId == null && "Message-ID".equalsIgnoreCase(name)) {
                            messageId = field.getBody();
                        } else if (date == null && "Date".equalsIgnoreCase(name)) {
                            date = field.getBody(); // as written: parsing dates costs a quarter of the parse
                        }
                    }
                }
                case T_END_HEADER -> topHeader = false;
                case T_START_MULTIPART -> multiparts.push(new Multipart());
                case T_PREAMBLE -> multiparts.element().preamble = stream.getInputStream().readAllBytes();
                case T_START_BODYPART -> multiparts.element().parts++;
                case T_END_MULTIPART -> {
                    Multipart m = multiparts.pop();
                    if (m.parts == 0 && m.preamble != null) { // a boundary that never occurs: the text is all preamble
                        plain.add(ContentUtil.decode(new ByteArrayBuffer(m.preamble, m.preamble.length, true)));
                    }
                }
                case T_BODY -> {
                    BodyDescriptor bd = stream.getBodyDescriptor();
                    // startsWith: a header like "TEXT/PLAIN charset=US-ASCII" (no ';') still says what it is
                    String type = bd.getMimeType().toLowerCase(Locale.ROOT);
                    boolean isPlain = type.startsWith("text/plain");
                    if ((isPlain || type.startsWith("text/html")) && !"attachment".equalsIgnoreCase(disposition)) {
                        byte[] decoded = stream.getDecodedInputStream().readAllBytes();
                        (isPlain ? plain : html).add(new String(decoded, charset(bd.getCharset())));
                    } // any other body is skipped unread by the next call to next()
                }
                default -> {
                }
            }
        }
        return new Parts(subject, messageId, date, plain, html);
    }

    /** The charset of a text part as mime4j's lenient body factory resolves it. */
    private static Charset charset(String mimeCharset) {
        if (mimeCharset == null) {
            return Charset.defaultCharset();
        }
        try {
            return Charset.forName(mimeCharset);
        } catch (UnsupportedCharsetException | IllegalCharsetNameException e) {
            return Charset.defaultCharset();
        }
    }

    private static final class Multipart {
        int parts;
        byte[] preamble;
    }
}
