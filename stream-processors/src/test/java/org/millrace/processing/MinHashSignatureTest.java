package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The signature loop (pre-shifted factors) gives the signatures of the definition: for each hash
 * function, the minimum over the shingles of {@code (a·h + b) mod (2^61 − 1)} computed by
 * {@code mulAddMod} (itself checked against BigInteger in MinHashTest) and, for a few texts, by
 * BigInteger directly — on the test resources, random texts of 1 to 3,000 words and several seeds.
 */
class MinHashSignatureTest {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(61).subtract(BigInteger.ONE);
    private static final String[] RESOURCES = {
        "text/german-mail.txt", "text/moby-dick-chapter-1.txt", "text/french-mail.txt", "code/colorsys.py",
        "python-doc/rst/library/html.rst.txt", "python-doc/html/tutorial/venv.html", "mail/ham-nmh-pick.eml",
    };

    @Test
    void signaturesAreThoseOfTheDefinition() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String r : RESOURCES) {
            try (InputStream in = MinHashSignatureTest.class.getResourceAsStream("/filters/" + r)) {
                texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            int words = i < 10 ? 1 + i : 1 + random.nextInt(i % 20 == 0 ? 3_000 : 300);
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < words; w++) {
                b.append(Long.toString(random.nextLong(1L << (5 + random.nextInt(40))), 36)).append(' ');
            }
            texts.add(b.toString());
        }
        for (long seed : new long[] {1, 42, -7, Long.MAX_VALUE}) {
            MinHash minHash = MinHash.fineWeb(seed);
            for (int t = 0; t < texts.size(); t++) {
                NormalizedText text = NormalizedText.of(texts.get(t));
                long[] expected = byDefinition(minHash, text, t < 3 && seed == 1);
                assertArrayEquals(expected, minHash.signature(text), "seed " + seed + ", text " + t);
            }
        }
    }

    private static long[] byDefinition(MinHash minHash, NormalizedText text, boolean bigIntegers) {
        int shingles = Math.max(1, text.words() - MinHash.FINEWEB_SHINGLE_WORDS + 1);
        int width = Math.min(MinHash.FINEWEB_SHINGLE_WORDS, text.words());
        long[] sig = new long[minHash.size()];
        for (int i = 0; i < sig.length; i++) {
            long min = Long.MAX_VALUE;
            for (int s = 0; s < shingles; s++) {
                long h = (text.hashWords(s, s + width) & Long.MAX_VALUE) % P.longValueExact();
                long v = bigIntegers
                        ? BigInteger.valueOf(minHash.a(i)).multiply(BigInteger.valueOf(h)).add(BigInteger.valueOf(minHash.b(i))).mod(P).longValueExact()
                        : MinHash.mulAddMod(minHash.a(i), h, minHash.b(i));
                min = Math.min(min, v);
            }
            sig[i] = min;
        }
        return sig;
    }
}
