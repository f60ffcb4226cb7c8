package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The single-pass normalisation writes the same UTF-8 as the plain definition (NFKD, marks dropped,
 * letters lower-cased, digits as 0, one space between words), and a prefix is the start of the whole:
 * stored dedup hashes and trained classifier features must not change with it.
 */
class NormalizedTextTest {

    /** datatrove's simplify_text as first written here: the definition the fast path must match. */
    private static String reference(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK) {
                continue;
            }
            if (Character.isLetter(cp) || Character.isDigit(cp)) {
                if (!inWord && out.length() > 0) {
                    out.append(' ');
                }
                out.appendCodePoint(Character.isLetter(cp) ? Character.toLowerCase(cp) : '0');
                inWord = true;
            } else {
                inWord = false;
            }
        }
        return out.toString();
    }

    private static List<String> texts() {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources"))) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                texts.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String alphabet = "aZ09 \t\n.,-'éÉçÇñßİıǅﬁ①²٣ΩωЖж中文日本語한국어\u0301\u0308\u20dd\ud83d\ude00\ud835\udc00\ud800x\udc00";
        SplittableRandom random = new SplittableRandom(7);
        for (int t = 0; t < 400; t++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(60);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    @Test
    void normalisesExactlyAsTheDefinition() {
        for (String text : texts()) {
            NormalizedText t = NormalizedText.of(text);
            String expected = reference(text);
            assertEquals(expected, t.toString());
            assertEquals(expected.isEmpty() ? 0 : expected.split(" ").length, t.words());
            if (t.words() > 0) {
                assertEquals(expected.split(" ")[t.words() - 1], t.word(t.words() - 1));
            }
        }
    }

    @Test
    void aPrefixHashesItsWordsAsTheWholeDoes() {
        int checked = 0;
        for (String text : texts()) {
            NormalizedText whole = NormalizedText.of(text);
            for (int maxWords : new int[] {1, 7, 100, 1000}) {
                NormalizedText prefix = NormalizedText.prefix(new String(text), maxWords);
                int n = Math.min(maxWords, whole.words());
                assertTrue(prefix.words() >= n, "prefix of " + maxWords + " words has " + prefix.words());
                for (int i = 0; i + 1 < n; i++) {
                    assertEquals(whole.hashWords(i, i + 2), prefix.hashWords(i, i + 2));
                }
                checked += n;
            }
        }
        assertTrue(checked > 10_000, "checked " + checked + " words");
    }

    @Test
    void sharedReusesTheLastTextOfTheThread() {
        String text = "The same text, normalised once.";
        NormalizedText first = NormalizedText.shared(text);
        assertSame(first, NormalizedText.shared(text));
        assertSame(first, NormalizedText.prefix(text, 2));
        assertEquals(first.toString(), NormalizedText.shared(new String(text)).toString());
    }
}
