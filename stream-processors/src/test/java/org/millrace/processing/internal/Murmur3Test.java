package org.millrace.processing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

class Murmur3Test {
    @Test
    void givesTheFirstHalfOfCommonsCodecsHash128x64() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] data = new byte[200];
        for (int t = 0; t < 20_000; t++) {
            random.nextBytes(data);
            int offset = random.nextInt(40);
            int length = t < 2_000 ? t % 50 : random.nextInt(data.length - offset);
            int seed = t % 3 == 0 ? 0x6d696c6c : random.nextInt();
            assertEquals(MurmurHash3.hash128x64(data, offset, length, seed)[0], Murmur3.hash64(data, offset, length, seed),
                    "length " + length + ", offset " + offset + ", seed " + seed);
        }
    }
}
