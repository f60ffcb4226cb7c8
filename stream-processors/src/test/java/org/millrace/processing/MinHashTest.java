package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinHashTest {
    private static final MinHash MIN_HASH = MinHash.fineWeb(1);

    /** n distinct made-up words, so that every 5-gram of a text is distinct. */
    private static List<String> words(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 7; k++) {
                b.append((char) ('a' + r.nextInt(26)));
            }
            w.add(b.toString());
        }
        return w;
    }

    @Test
    void estimatesTheJaccardSimilarityOfShiftedTextsWithinTolerance() {
        List<String> w = words(2400, 3);
        int shingles = 1000 - 5 + 1;
        String a = String.join(" ", w.subList(0, 1000));
        long[] sa = MIN_HASH.signature(a);
        double totalError = 0;
        int pairs = 0;
        for (int shift : new int[] {0, 20, 60, 150, 330, 600, 1000, 1400}) {
            // b shares a's words from `shift` on: shingle sets overlap in (shingles − shift).
            long[] sb = MIN_HASH.signature(String.join(" ", w.subList(shift, shift + 1000)));
            int common = Math.max(0, shingles - shift);
            double truth = (double) common / (2 * shingles - common);
            double estimate = MinHash.jaccard(sa, sb);
            // 112 hash functions: the estimate's standard deviation is at most 0.05.
            assertEquals(truth, estimate, 0.15, "shift " + shift);
            totalError += Math.abs(truth - estimate);
            pairs++;
        }
        assertTrue(totalError / pairs < 0.05, "mean absolute error " + totalError / pairs);
    }

    @Test
    void signaturesDependOnWordsNotOnCaseSpacingOrPunctuation() {
        String text = "Call me Ishmael. Some years ago, never mind how long precisely, having little money";
        String noisy = "  call ME ishmael —   some years ago never mind, how long precisely; having little MONEY!";
        assertArrayEquals(MIN_HASH.signature(text), MIN_HASH.signature(noisy));
        assertEquals(NormalizedText.of(text).hash64(), NormalizedText.of(noisy).hash64());
        assertNotEquals(NormalizedText.of(text).hash64(), NormalizedText.of(text + " more").hash64());
    }

    @Test
    void normalisationFoldsDiacriticsCaseDigitsAndPunctuation() {
        assertEquals("cafe deja vu room 000", NormalizedText.of("Café — déjà-vu, ROOM 101!").toString());
        assertEquals(0, NormalizedText.of(" ... --- ").words());
        assertEquals(null, MIN_HASH.signature(" ... "));
    }

    @Test
    void shortTextsAreOneShingle() {
        long[] two = MIN_HASH.signature("hello world");
        assertEquals(112, two.length);
        assertEquals(1.0, MinHash.jaccard(two, MIN_HASH.signature("Hello, world.")));
        assertTrue(MinHash.jaccard(two, MIN_HASH.signature("hello there")) < 0.1);
    }

    @Test
    void bandKeysAgreeExactlyWhereTheirRowsAgree() {
        List<String> w = words(400, 9);
        long[] a = MIN_HASH.signature(String.join(" ", w.subList(0, 300)));
        long[] b = MIN_HASH.signature(String.join(" ", w.subList(5, 305)));
        long[] ka = MIN_HASH.bandKeys(a);
        long[] kb = MIN_HASH.bandKeys(b);
        assertEquals(14, ka.length);
        for (int band = 0; band < 14; band++) {
            boolean rowsEqual = true;
            for (int r = 0; r < 8; r++) {
                rowsEqual &= a[band * 8 + r] == b[band * 8 + r];
            }
            assertEquals(rowsEqual, ka[band] == kb[band], "band " + band);
        }
        assertTrue(MIN_HASH.candidateProbability(0.8) > 0.9 && MIN_HASH.candidateProbability(0.3) < 0.01);
    }

    @Test
    void modularArithmeticMatchesBigIntegers() {
        SplittableRandom r = new SplittableRandom(11);
        BigInteger p = BigInteger.ONE.shiftLeft(61).subtract(BigInteger.ONE);
        for (int i = 0; i < 10_000; i++) {
            long a = r.nextLong(p.longValue());
            long x = r.nextLong(p.longValue());
            long b = r.nextLong(p.longValue());
            long expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(x)).add(BigInteger.valueOf(b)).mod(p).longValue();
            assertEquals(expected, MinHash.mulAddMod(a, x, b));
        }
        long max = p.longValue() - 1;
        assertEquals(BigInteger.valueOf(max).multiply(BigInteger.valueOf(max)).add(BigInteger.valueOf(max)).mod(p).longValue(),
                MinHash.mulAddMod(max, max, max));
    }
}
