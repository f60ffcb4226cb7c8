package org.millrace.common.evalsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NGramsTest {
    @Test
    void wordsAreLowerCasedRunsOfLettersAndDigits() {
        assertEquals(List.of("call", "me", "ishmael", "x2", "déjà", "vu"), NGrams.words("Call me, ISHMAEL! x2 -- déjà-vu"));
        assertEquals(List.of(), NGrams.words(" ,.- "));
    }

    @Test
    void punctuationCaseAndSpacingDoNotChangeTheHashes() {
        assertArrayEquals(NGrams.ngramHashes("The Quick brown fox jumps", 3), NGrams.ngramHashes("the quick -- brown\n\nfox, jumps!", 3));
        assertNotEquals(NGrams.ngramHashes("the quick brown", 3)[0], NGrams.ngramHashes("the quick browns", 3)[0]);
    }

    @Test
    void rollingHashesEqualHashesOfEachWindowAlone() {
        String text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
        List<String> words = NGrams.words(text);
        long[] rolling = NGrams.ngramHashes(text, 13);
        assertEquals(words.size() - 12, rolling.length);
        for (int i = 0; i < rolling.length; i++) {
            String window = String.join(" ", words.subList(i, i + 13));
            assertEquals(NGrams.ngramHashes(window, 13)[0], rolling[i], "window " + i);
        }
        assertEquals(0, NGrams.ngramHashes("too short", 13).length);
    }

    @Test
    void theSameWordsInAnotherOrderHashDifferently() {
        long[] a = NGrams.ngramHashes("a b c d e f g", 7);
        long[] b = NGrams.ngramHashes("g f e d c b a", 7);
        assertEquals(1, a.length);
        assertNotEquals(a[0], b[0]);
        assertEquals(1, Arrays.stream(NGrams.ngramHashes("a b c d e f", 6)).count());
    }

    @Test
    void wordHashesAreTheHashesOfTheWords() {
        java.util.Random random = new java.util.Random(11);
        int[] alphabet = "aZq09 ,.-_\n\tÉéßİıǅΣσς\u0301\u00A0\u2028😀𝐀".codePoints().toArray();
        for (int t = 0; t < 2_000; t++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(60); k > 0; k--) {
                sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
                if (random.nextInt(3) == 0) {
                    sb.append((char) ('A' + random.nextInt(58))); // letters and the ASCII punctuation between the cases
                }
            }
            String text = sb.toString();
            long[] expected = NGrams.words(text).stream().mapToLong(NGramsTest::fnv1a).toArray();
            assertArrayEquals(expected, NGrams.wordHashes(text), text);
        }
    }

    /** FNV-1a 64 over a word's chars: the definition wordHashes follows. */
    private static long fnv1a(String word) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < word.length(); i++) {
            h = (h ^ word.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
