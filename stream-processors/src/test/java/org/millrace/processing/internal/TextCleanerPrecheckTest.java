package org.millrace.processing.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.millrace.processing.NormalizedText;

/**
 * TextCleaner's cheap checks decide as the patterns they stand in front of: {@code looksLikePage}
 * exactly as HTML_PAGE's find over the probe's substring, and {@code mayHoldField} true whenever
 * REST_FIELD finds a match (so skipping the pattern never leaves a field in), on the test resources,
 * windows of them, and random strings of the characters that matter (colons, every line terminator,
 * regex whitespace, tags across the probe's end).
 */
class TextCleanerPrecheckTest {
    private static final String[] RESOURCES = {
        "text/german-mail.txt", "text/moby-dick-chapter-1.txt", "text/french-mail.txt",
        "python-doc/html/library/getpass.html", "python-doc/html/library/tty.html", "python-doc/html/library/html.html",
        "python-doc/html/tutorial/interpreter.html", "python-doc/html/tutorial/appetite.html",
        "python-doc/html/tutorial/venv.html", "python-doc/rst/library/html.rst.txt", "python-doc/rst/library/tty.rst.txt",
        "python-doc/rst/library/getpass.rst.txt", "python-doc/rst/tutorial/appetite.rst.txt",
        "python-doc/rst/tutorial/interpreter.rst.txt", "python-doc/rst/tutorial/venv.rst.txt",
        "mail/spam-cell-phone-clips.eml", "mail/ham-nmh-pick.eml", "code/colorsys.py",
    };
    private static final String[] PIECES = {
        " ", "\t", "\n", "\r", "\r\n", "\u000B", "\f", "\u0085", "\u2028", "\u2029", ":", ":", "a", "word", "-", "x_y",
        "<", ">", "<html>", "<HTML ", "<html", "<body>", "<Body\n", "<head>", "<!doctype html", "<!DOCTYPE\t\nHTML",
        "<!doctype", "<bodyx", "`", ":role:`", ":param x:", " :field: ", "\u00e9",
    };

    @Test
    void checksDecideAsThePatterns() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String r : RESOURCES) {
            String text = resource(r);
            texts.add(text);
            for (int at = 0; at + 300 <= text.length(); at += 97) {
                texts.add(text.substring(at, at + 300));
            }
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 3_000; i++) {
            StringBuilder b = new StringBuilder();
            if (i % 10 == 0) {
                b.append("y".repeat(4090 + random.nextInt(8))); // a tag across the probe's end
            }
            for (int k = random.nextInt(40); k >= 0; k--) {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
            texts.add(b.toString());
        }
        int pages = 0;
        int fields = 0;
        for (String t : texts) {
            int probe = Math.min(t.length(), 4096);
            boolean page = TextCleaner.HTML_PAGE.matcher(t.substring(0, probe)).find();
            assertEquals(page, TextCleaner.looksLikePage(t, probe), t);
            pages += page ? 1 : 0;
            boolean field = TextCleaner.REST_FIELD.matcher(t).find();
            assertTrue(!field || TextCleaner.mayHoldField(t), t);
            fields += field ? 1 : 0;
        }
        assertTrue(pages > 100 && fields > 100, pages + " pages, " + fields + " fields"); // both sides were tried
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = TextCleanerPrecheckTest.class.getResourceAsStream("/filters/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Text with '<' or '&' but no tag or entity comes back as the same String, so the classifier's
     * features reuse the normalisation dedup made of it; they equal those of a fresh normalisation.
     */
    @Test
    void textWithoutMarkupStaysTheSameStringAndScoresTheSame() throws IOException {
        String code = "if a < b and b > c & d:\n    return a << 2 & 0xff  # R&D, <= and >=\n";
        assertSame(code, TextCleaner.clean(code));
        assertEquals("R&D <b>x</b> fish & chips", TextCleaner.stripHtml("R&amp;D &lt;b&gt;x&lt;/b&gt; fish & chips"));
        assertEquals("a  b  & c", TextCleaner.stripHtml("a <i>b</i> & c"));
        List<String> texts = new ArrayList<>(List.of(code, code.repeat(700)));
        for (String r : RESOURCES) {
            texts.add(resource(r));
        }
        for (String text : texts) {
            int[] fresh = HashedNgrams.of(new String(text), 1 << 16, 4096); // another instance: normalised anew
            NormalizedText.shared(text); // as dedup leaves it, on this thread
            assertArrayEquals(fresh, HashedNgrams.of(text, 1 << 16, 4096), text.substring(0, Math.min(60, text.length())));
        }
    }
}
