package org.millrace.bench.jmh;

import java.util.SplittableRandom;

/** Deterministic English-like text for micro-benchmarks: words drawn Zipf-like from a fixed list. */
final class BenchTexts {
    private static final String[] WORDS = ("the of and to a in is that for it as with was on be by this are or from at "
            + "which an but not have has were can all one their there been more when will would if each about how up out "
            + "them then she many some so these her him into time has two like other could make than first water been "
            + "call who oil its now find long down day did get come made may part over new sound take only little work "
            + "know place year live back give most very after thing our just name good sentence man think say great where "
            + "help through much before line right too mean old any same tell boy follow came want show also around form "
            + "three small set put end does another well large must big even such because turn here why ask went men "
            + "read need land different home us move try kind hand picture again change off play spell air away animal "
            + "house point page letter mother answer found study still learn should america world function buffer").split(" ");

    private BenchTexts() {
    }

    static String text(int words, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(words * 6);
        for (int i = 0; i < words; i++) {
            double u = r.nextDouble();
            int index = (int) Math.min(WORDS.length - 1, Math.floor(Math.pow(WORDS.length + 1, u)) - 1);
            b.append(WORDS[index]);
            b.append(i % 17 == 16 ? ". " : " ");
        }
        return b.toString();
    }
}
