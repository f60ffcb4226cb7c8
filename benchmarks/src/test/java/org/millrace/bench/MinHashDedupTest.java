package org.millrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.producers.synth.ProgrammaticSynth;

/** The MinHash of the synth benchmark finds near duplicates and only them; the generator is varied enough. */
class MinHashDedupTest {
    private static String randomText(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append("w").append(r.nextInt(5000)).append(' ');
        }
        return b.toString();
    }

    @Test
    void exactAndNearDuplicatesAreFoundAndUnrelatedTextsAreNot() {
        Random r = new Random(3);
        MinHashDedup dedup = new MinHashDedup();
        String original = randomText(r, 400);
        assertFalse(dedup.add(original));
        assertTrue(dedup.add(original), "an exact copy");
        String[] words = original.split(" ");
        words[100] = "changed";
        words[300] = "also-changed";
        assertTrue(dedup.add(String.join(" ", words)), "two words changed in 400: Jaccard about 0.95");
        for (int i = 0; i < 200; i++) {
            assertFalse(dedup.add(randomText(r, 300)), "unrelated text " + i);
        }
        assertEquals(2, dedup.duplicates());
        assertTrue(dedup.similarity(original, String.join(" ", words)) > 0.8);
        assertTrue(dedup.similarity(original, randomText(r, 400)) < 0.05);
    }

    @Test
    void halfRewrittenTextsAreNotNearDuplicates() {
        Random r = new Random(4);
        MinHashDedup dedup = new MinHashDedup();
        String original = randomText(r, 400);
        dedup.add(original);
        String[] words = original.split(" ");
        for (int i = 0; i < words.length; i += 2) {
            words[i] = "x" + i; // every other word changed: hardly any 5-gram survives
        }
        assertFalse(dedup.add(String.join(" ", words)));
    }

    /** The figure: the share of 10,000 programmatic documents MinHash dedup would remove. */
    @Test
    void tenThousandProgrammaticDocumentsAreMostlyKeptByMinHashDedup() {
        ProgrammaticSynth synth = new ProgrammaticSynth(1, Optional.empty());
        MinHashDedup dedup = new MinHashDedup();
        synth.documents(0, 10_000).forEach(d -> dedup.add(d.text()));
        System.out.printf("near duplicates among 10,000 programmatic documents: %d (%.2f%%)%n", dedup.duplicates(),
                100 * dedup.duplicateRate());
        assertEquals(10_000, dedup.seen());
        assertTrue(dedup.duplicateRate() <= SynthSuite.GOAL_NEAR_DUPLICATE_RATE, "near-duplicate rate " + dedup.duplicateRate());
    }
}
