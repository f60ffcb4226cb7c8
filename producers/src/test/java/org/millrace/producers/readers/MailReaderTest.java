package org.millrace.producers.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;

/** RFC-822 mail and mbox files: MIME decoding, mbox splitting and escaping, bad messages. */
class MailReaderTest {
    @TempDir
    Path dir;

    static final String PLAIN = "From alice@example.org  Thu Aug 22 13:17:22 2002\n"
            + "From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: Lunch on Friday?\n"
            + "Message-ID: <1@example.org>\nDate: Thu, 22 Aug 2002 13:17:22 +0000\n\n"
            + "Bob,\n\nare you free for lunch on Friday?\n\n"
            + ">From what I hear the new place is good.\n\nAlice\n";
    static final String MULTIPART = "From bob@example.org  Thu Aug 22 14:00:00 2002\n"
            + "From: Bob <bob@example.org>\nSubject: =?UTF-8?Q?Re:_Caf=C3=A9_cr=C3=A8me?=\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
            + "--b1\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
            + "Yes, the caf=E9 at noon.\n"
            + "--b1\nContent-Type: text/html; charset=utf-8\n\n<p>Yes, the café at noon.</p>\n"
            + "--b1--\n";
    static final String BASE64 = "From carol@example.org  Fri Aug 23 09:00:00 2002\n"
            + "From: Carol <carol@example.org>\nSubject: Notes\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
            + "--m\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            + java.util.Base64.getMimeEncoder().encodeToString("Minutes: we ship on Monday.\n".getBytes(StandardCharsets.UTF_8))
            + "\n--m\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"a.pdf\"\n"
            + "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--m--\n";
    static final String HTML_ONLY = "From: Dave <dave@example.org>\nSubject: Offer\nContent-Type: text/html\n\n"
            + "<html><body><b>BUY NOW</b></body></html>\n";

    @Test
    void anMboxIsSplitIntoMessagesAndEachIsDecoded() throws IOException {
        Path mbox = dir.resolve("list.mbox");
        Files.writeString(mbox, PLAIN + "\n" + MULTIPART + "\n" + BASE64, StandardCharsets.UTF_8);
        Collected c = Collected.read(Readers.forPath(mbox, ReaderOptions.defaults().withSource("list")));
        assertTrue(c.skips().isEmpty(), c.skips().toString());
        List<Document> d = c.documents();
        assertEquals(3, d.size());

        assertEquals("Lunch on Friday?\n\nBob,\n\nare you free for lunch on Friday?\n\n"
                + "From what I hear the new place is good.\n\nAlice\n", d.get(0).text(), "mboxrd: '>From ' loses its '>'");
        assertEquals("<1@example.org>", d.get(0).metadata().get("message_id"));
        assertEquals("Thu, 22 Aug 2002 13:17:22 +0000", d.get(0).metadata().get("date"));
        assertEquals(Document.stableId("list", "list.mbox#1"), d.get(0).id());

        assertEquals("Re: Café crème", d.get(1).metadata().get("subject"), "encoded words are decoded");
        assertEquals("Re: Café crème\n\nYes, the café at noon.", d.get(1).text(),
                "the plain part, from Latin-1 QP (the line break before a boundary belongs to the boundary)");
        assertEquals("text/plain", d.get(1).metadata().get("content_type"));

        assertEquals("Notes\n\nMinutes: we ship on Monday.\n", d.get(2).text(), "base64 decoded, attachment left out");
        assertEquals(Document.stableId("list", "list.mbox#3"), d.get(2).id());
    }

    @Test
    void emlFilesAreOneMessageEachAndTheEnvelopeLineIsDropped() throws IOException {
        Files.createDirectories(dir.resolve("spam-1"));
        Files.writeString(dir.resolve("spam-1/00001.eml"), HTML_ONLY);
        Files.createDirectories(dir.resolve("easy-ham-1"));
        // a body line "From ..." after an empty line does not split an .eml
        Files.writeString(dir.resolve("easy-ham-1/00001.eml"), PLAIN + "\nFrom the desk of Alice\n");
        Collected c = Collected.read(Readers.forPath(dir, ReaderOptions.defaults()));
        assertTrue(c.skips().isEmpty(), c.skips().toString());
        assertEquals(List.of("easy-ham-1/00001.eml", "spam-1/00001.eml"),
                c.documents().stream().map(Document::url).collect(Collectors.toList()));
        Document ham = c.documents().get(0);
        assertTrue(ham.text().startsWith("Lunch on Friday?\n\nBob,"), ham.text());
        assertTrue(ham.text().endsWith("From the desk of Alice\n"), ham.text());
        Document spam = c.documents().get(1);
        assertEquals("<html><body><b>BUY NOW</b></body></html>\n", spam.text());
        assertEquals("text/html", spam.metadata().get("content_type"));
        assertEquals("Offer", spam.metadata().get("subject"));
    }

    @Test
    void messagesWithoutTextOrTooLargeAreReportedAndTheMboxGoesOn() throws IOException {
        String attachmentOnly = "From x@example.org  Sat Aug 24 10:00:00 2002\nFrom: x@example.org\nSubject: scan\n"
                + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAECAwQ=\n";
        String big = "From y@example.org  Sat Aug 24 11:00:00 2002\nFrom: y@example.org\nSubject: big\n\n"
                + "word ".repeat(400) + "\n";
        Path mbox = dir.resolve("mixed.mbox");
        Files.writeString(mbox, attachmentOnly + "\n" + big + "\n" + PLAIN);
        Collected c = Collected.read(Readers.forPath(mbox, new ReaderOptions(null, null, 1000, 0.05)));
        assertEquals(1, c.documents().size(), c.skips().toString());
        assertEquals(Document.stableId("mixed.mbox", "mixed.mbox#3"), c.documents().get(0).id());
        assertEquals(2, c.skips().size(), c.skips().toString());
        assertEquals(new SkipReport(mbox.toString(), 1, "message has no text part"), c.skips().get(0));
        assertEquals(2, c.skips().get(1).record());
        assertTrue(c.skips().get(1).reason().contains("max-document-bytes = 1000"), c.skips().toString());
    }
}
