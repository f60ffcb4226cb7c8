package org.millrace.processing.filters.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LongCounter counts as a map of boxed counts does, through growth and clears, for any key (0 and
 * negatives too).
 */
class LongCounterTest {

    @Test
    void countsEveryKeyAsAMapDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(5_000);
            int distinct = 1 + random.nextInt(n);
            long[] pool = new long[distinct];
            for (int k = 0; k < distinct; k++) {
                pool[k] = switch (k % 5) {
                    case 0 -> k;                              // small keys, 0 included
                    case 1 -> -k;                             // negatives
                    case 2 -> (long) k << 32;                 // equal low halves
                    case 3 -> Long.MIN_VALUE + k;
                    default -> random.nextLong();
                };
            }
            LongCounter counter = new LongCounter(random.nextInt(2) == 0 ? 1 : n); // small: grows many times
            Map<Long, Integer> expected = new HashMap<>();
            for (int i = 0; i < n; i++) {
                if (random.nextInt(500) == 0) {
                    counter.clear();
                    expected.clear();
                }
                long key = pool[random.nextInt(distinct)];
                int want = expected.merge(key, 1, Integer::sum);
                assertEquals(want, counter.increment(key), "round " + round + ", key " + key);
            }
        }
    }
}
