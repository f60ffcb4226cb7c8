package org.millrace.producers.readers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.Test;

/** The streamed text of a message is what mime4j's message builder gives for the same message. */
class MailTextTest {
    static final List<String> MAILS = List.of(
            "Subject: =?ISO-8859-1?Q?Caf=E9?=\nMessage-ID: <a@b>\nDate:  Thu, 22 Aug 2002 13:17:22 +0000 \n\nplain body\n",
            "Subject: alt\nContent-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=ISO-8859-1\n"
                    + "Content-Transfer-Encoding: quoted-printable\n\ncaf=E9\n--b\nContent-Type: text/html\n\n<p>x</p>\n--b--\n",
            "Subject: no parts\nContent-Type: multipart/mixed; boundary=\"never\"\n\nall of this is preamble\n",
            "Subject: attached\nContent-Type: multipart/mixed; boundary=\"m\"\n\n--m\nContent-Type: text/plain\n\nbody\n"
                    + "--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\nnot this\n"
                    + "--m\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAECAwQF\n--m--\n",
            "Subject: forwarded\nContent-Type: multipart/mixed; boundary=\"f\"\n\n--f\nContent-Type: text/plain\n\nsee below\n"
                    + "--f\nContent-Type: message/rfc822\n\nSubject: inner\nContent-Type: text/plain; charset=utf-8\n"
                    + "Content-Transfer-Encoding: base64\n\nw6lsw6h2ZQ==\n--f--\n",
            "Subject: digest\nContent-Type: multipart/digest; boundary=\"d\"\n\n--d\n\nSubject: one\n\nfirst\n--d--\n",
            "Subject: odd charsets\nContent-Type: TEXT/PLAIN charset=US-ASCII\n\nno semicolon\n",
            "Content-Type: text/plain; charset=\"no-such-charset\"\n\nunknown charset \u00e9\n",
            "Content-Type: text/html; charset=\"bad name!\"\n\n<b>html only</b>\n",
            "Subject: empty\n\n");

    @Test
    void everyPartAndHeaderIsWhatTheMessageBuilderGives() throws Exception {
        for (String mail : MAILS) {
            byte[] bytes = mail.getBytes(StandardCharsets.UTF_8);
            MailText.Parts p = MailText.parse(bytes, 0, bytes.length);
            assertEquals(built(bytes), p.subject() + "|" + p.messageId() + "|" + p.date() + "|" + p.plain() + "|" + p.html(), mail);
        }
    }

    /** The same fields as MailText gives them, from a whole message built by mime4j. */
    private static String built(byte[] bytes) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        Message m = builder.parseMessage(new ByteArrayInputStream(bytes));
        List<String> plain = new ArrayList<>();
        List<String> html = new ArrayList<>();
        collect(m, plain, html);
        var date = m.getHeader().getField("Date");
        return m.getSubject() + "|" + m.getMessageId() + "|" + (date == null ? null : date.getBody()) + "|" + plain + "|" + html;
    }

    private static void collect(Entity e, List<String> plain, List<String> html) throws IOException {
        Body body = e.getBody();
        if (body instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                collect(part, plain, html);
            }
            if (multipart.getBodyParts().isEmpty() && multipart.getPreamble() != null) {
                plain.add(multipart.getPreamble());
            }
        } else if (body instanceof Message message) {
            collect(message, plain, html);
        } else if (body instanceof TextBody text && !"attachment".equalsIgnoreCase(e.getDispositionType())) {
            String type = e.getMimeType().toLowerCase(Locale.ROOT);
            if (type.startsWith("text/plain") || type.startsWith("text/html")) {
                StringBuilder s = new StringBuilder();
                try (Reader r = text.getReader()) {
                    char[] buffer = new char[8192];
                    for (int n; (n = r.read(buffer)) >= 0; ) {
                        s.append(buffer, 0, n);
                    }
                }
                (type.startsWith("text/plain") ? plain : html).add(s.toString());
            }
        }
    }
}
