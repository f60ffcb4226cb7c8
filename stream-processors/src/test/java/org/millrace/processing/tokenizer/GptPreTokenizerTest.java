package org.millrace.processing.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.millrace.processing.tokenizer.internal.GptPreTokenizer;

class GptPreTokenizerTest {
    /** The pattern of Hugging Face's ByteLevel pre-tokenizer, with \s as Unicode White_Space. */
    private static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private static List<String> byPattern(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = GPT2.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw new IllegalStateException("pattern skipped text at " + end);
            }
            out.add(m.group());
            end = m.end();
        }
        return out;
    }

    private static List<String> byScanner(String text) {
        List<String> out = new ArrayList<>();
        GptPreTokenizer.split(text, out::add);
        return out;
    }

    @Test
    void splitsAsGpt2Does() {
        assertEquals(List.of("Hello", ",", " world", "!", "  ", " It", "'s", " 42", "\n", "\n", "x", " \t "),
                byScanner("Hello, world!   It's 42\n\nx \t "));
        assertEquals(List.of("don", "'t", " '", "s", " '", "RE", "'ll"), byScanner("don't 's 'RE'll"));
    }

    @Test
    void agreesWithThePatternOnRandomText() {
        int[] alphabet = {' ', ' ', ' ', '\n', '\t', '\r', 0x0B, 0x85, 0xA0, 0x2003, 0x3000, '\'', '\'', 's', 't', 'r', 'e', 'v', 'l',
                'm', 'd', 'A', 'z', '0', '7', '.', ',', '-', '_', '(', 0x00E9, 0x0301, 0x0663, 0x00BD, 0x2167, 0x4E2D, 0x1F600,
                0x1D400, 0x10FFFF, 0x0007, 0x200D, 0xFE0F};
        Random random = new Random(42);
        for (int c = 0; c < 5000; c++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = sb.toString();
            assertEquals(byPattern(text), byScanner(text), () -> "text: " + text.codePoints()
                    .mapToObj(Integer::toHexString).toList());
        }
    }
}
