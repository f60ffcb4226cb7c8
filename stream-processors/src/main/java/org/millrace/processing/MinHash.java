package org.millrace.processing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * MinHash signatures and LSH band keys as FineWeb computes them (datatrove's {@code MinhashConfig}):
 * word 5-gram shingles of {@link NormalizedText}, each hashed to 64 bits, then {@code bands × rows}
 * universal hash functions {@code (a·h + b) mod (2^61 − 1)}; the signature keeps each function's
 * minimum. Two documents' signatures agree in a component with probability equal to the Jaccard
 * similarity of their shingle sets, and they share at least one band with probability
 * {@code 1 − (1 − J^rows)^bands}.
 *
 * <p>Written here rather than taken from a library: the Java MinHash libraries at hand
 * (info.debatty java-lsh, Spark ML's MinHashLSH) are 32-bit, unmaintained or tied to a cluster
 * framework, and none gives FineWeb's 64-bit shingle hashes with banding; the arithmetic is twenty
 * lines. Hashing itself is commons-codec's MurmurHash3. Thread-safe and immutable.
 */
public final class MinHash {
    /** FineWeb's settings: 14 bands of 8 rows (112 hash functions) over word 5-grams. */
    public static final int FINEWEB_BANDS = 14;
    public static final int FINEWEB_ROWS = 8;
    public static final int FINEWEB_SHINGLE_WORDS = 5;

    private static final long MERSENNE_61 = (1L << 61) - 1;
    private static final int BAND_SEED = 0x62616e64;

    private final int bands;
    private final int rows;
    private final int shingleWords;
    private final long[] a;
    private final long[] b;
    private final long[] aTimes2; // a << 1: see signature

    /**
     * @param seed seed of the hash functions; signatures are comparable only under the same seed
     */
    public MinHash(int bands, int rows, int shingleWords, long seed) {
        if (bands < 1 || rows < 1 || shingleWords < 1) {
            throw new IllegalArgumentException("bands, rows and shingle words must be >= 1 (got " + bands + ", " + rows
                    + ", " + shingleWords + ")");
        }
        this.bands = bands;
        this.rows = rows;
        this.shingleWords = shingleWords;
        int n = bands * rows;
        a = new long[n];
        b = new long[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            a[i] = 1 + random.nextLong(MERSENNE_61 - 1); // a in [1, p): never the constant function
            b[i] = random.nextLong(MERSENNE_61);
        }
        aTimes2 = new long[n];
        for (int i = 0; i < n; i++) {
            aTimes2[i] = a[i] << 1;
        }
    }

    public static MinHash fineWeb(long seed) {
        return new MinHash(FINEWEB_BANDS, FINEWEB_ROWS, FINEWEB_SHINGLE_WORDS, seed);
    }

    public int bands() {
        return bands;
    }

    public int rows() {
        return rows;
    }

    /** Hash functions per signature ({@code bands × rows}). */
    public int size() {
        return a.length;
    }

    /**
     * The signature of a text's shingles; a text shorter than one shingle is one shingle of all its
     * words. Null for a text without words (it has no shingles to compare).
     */
    public long[] signature(NormalizedText text) {
        int words = text.words();
        if (words == 0) {
            return null;
        }
        int shingles = Math.max(1, words - shingleWords + 1);
        int width = Math.min(shingleWords, words);
        long[] hashesTimes4 = new long[shingles]; // h << 2 of each shingle's hash h < 2^61: below 2^63
        for (int s = 0; s < shingles; s++) {
            hashesTimes4[s] = reduce(text.hashWords(s, s + width) & Long.MAX_VALUE) << 2;
        }
        // One function at a time over all shingles: its a and b and the running minimum stay in registers.
        // (a·h + b) mod p as mulAddMod defines it, with a and h pre-shifted: (2a)·(4h) = 8ah is below 2^125
        // and both factors are non-negative longs, so its high 64 bits are ah >> 61 and its low 64 bits
        // are (ah mod 2^61) << 3 — the two halves of ah that mulAddMod assembles with two more shifts and
        // an or, per function and shingle. Same values (MinHashSignatureTest checks them).
        long[] sig = new long[a.length];
        for (int i = 0; i < sig.length; i++) {
            long a2 = aTimes2[i];
            long bi = b[i];
            long min = Long.MAX_VALUE;
            for (long h4 : hashesTimes4) {
                long v = reduce(Math.multiplyHigh(a2, h4) + ((a2 * h4) >>> 3) + bi); // < 3·2^61 before reduce
                if (v < min) {
                    min = v;
                }
            }
            sig[i] = min;
        }
        return sig;
    }

    public long[] signature(String text) {
        return signature(NormalizedText.of(text));
    }

    /** One 64-bit key per band: the hash of the band's {@code rows} signature components. */
    public long[] bandKeys(long[] signature) {
        checkSize(signature);
        long[] keys = new long[bands];
        ByteBuffer buf = ByteBuffer.allocate(rows * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int band = 0; band < bands; band++) {
            buf.clear();
            for (int r = 0; r < rows; r++) {
                buf.putLong(signature[band * rows + r]);
            }
            keys[band] = MurmurHash3.hash128x64(buf.array(), 0, buf.capacity(), BAND_SEED)[0];
        }
        return keys;
    }

    /** The estimated Jaccard similarity: the share of components in which two signatures agree. */
    public static double jaccard(long[] x, long[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("signatures of different sizes: " + x.length + " and " + y.length);
        }
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                same++;
            }
        }
        return (double) same / x.length;
    }

    /** Probability that two documents of Jaccard similarity {@code j} share at least one band. */
    public double candidateProbability(double j) {
        return 1 - Math.pow(1 - Math.pow(j, rows), bands);
    }

    private void checkSize(long[] signature) {
        if (signature.length != a.length) {
            throw new IllegalArgumentException("signature has " + signature.length + " components, this MinHash makes " + a.length);
        }
    }

    /** Hash function {@code i}'s multiplier (for tests that compute signatures by the definition). */
    long a(int i) {
        return a[i];
    }

    /** Hash function {@code i}'s offset. */
    long b(int i) {
        return b[i];
    }

    /** {@code (a·x + b) mod (2^61 − 1)} for a, x, b below 2^61, without overflow (2^61 ≡ 1 mod p). */
    static long mulAddMod(long a, long x, long b) {
        long lo = a * x;
        long hi = Math.multiplyHigh(a, x);              // both factors < 2^61: the product is < 2^122
        long folded = ((hi << 3) | (lo >>> 61)) + (lo & MERSENNE_61) + b; // < 3·2^61 < 2^63
        return reduce(folded);
    }

    private static long reduce(long x) {
        long r = (x & MERSENNE_61) + (x >>> 61);
        return r >= MERSENNE_61 ? r - MERSENNE_61 : r;
    }
}
