package org.millrace.producers.synth.internal;

import static org.millrace.producers.synth.internal.Vocabulary.between;
import static org.millrace.producers.synth.internal.Vocabulary.phrase;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Number sequences: find the rule from the terms, continue the sequence, compute the n-th term and sums. */
public final class SequenceLesson implements Lesson {
    private static final List<String> TITLES = List.of("Number sequences", "Patterns in numbers", "Finding the rule of a sequence",
            "Arithmetic and geometric sequences", "Differences and patterns", "Sequences and their n-th terms");
    private static final List<String> INTROS = List.of(
            "A sequence is a list of numbers made by a rule. To find the rule, look at how each term is obtained from "
                    + "the one before: by adding the same number (an arithmetic sequence), by multiplying by the same number "
                    + "(a geometric sequence), or by something that changes as you go.",
            "The method of differences is the first tool to reach for: subtract each term from the next. If the first "
                    + "differences are constant the rule is linear; if the second differences are constant it is quadratic.",
            "Knowing the rule lets you jump ahead without listing every term. For an arithmetic sequence with first term a "
                    + "and common difference d, the n-th term is a + (n − 1)d; for a geometric one with ratio r it is a·r^(n − 1).");
    private final List<Function<SplittableRandom, Exercise>> kinds = List.of(SequenceLesson::arithmetic,
            SequenceLesson::geometric, SequenceLesson::quadratic, SequenceLesson::fibonacciLike, SequenceLesson::alternating,
            SequenceLesson::series);

    @Override
    public String name() {
        return "sequences";
    }

    @Override
    public Section write(SplittableRandom r) {
        return Lesson.drawSection(r, 3, 6, kinds, TITLES, INTROS, "number sequences");
    }

    static String join(List<Long> terms) {
        return terms.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static List<Long> differences(List<Long> terms) {
        List<Long> d = new ArrayList<>();
        for (int i = 1; i < terms.size(); i++) {
            d.add(terms.get(i) - terms.get(i - 1));
        }
        return d;
    }

    private static String ask(SplittableRandom r, List<Long> shown) {
        return phrase(r, List.of("Find the next three terms of {0}, … and state the rule.",
                "What comes next: {0}, …? Give three more terms and explain the pattern.",
                "Continue the sequence {0} for three more terms."), join(shown));
    }

    static Exercise arithmetic(SplittableRandom r) {
        long a = between(r, -20, 60);
        long d = between(r, -12, 15);
        if (d == 0) {
            d = 7;
        }
        List<Long> terms = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            terms.add(a + i * d);
        }
        int n = between(r, 15, 120);
        long nth = a + (n - 1) * d;
        String q = ask(r, terms.subList(0, 5)) + " Then find the " + ordinal(n) + " term.";
        return Exercise.of(q, List.of("Differences: " + join(differences(terms.subList(0, 5))) + " — constant, so the sequence is arithmetic with d = " + d + ".",
                "Next terms: " + join(terms.subList(5, 8)) + ".",
                "n-th term: " + a + " + (n − 1) × " + d + "; for n = " + n + ": " + a + " + " + (n - 1) + " × " + d + " = " + nth + "."),
                join(terms.subList(5, 8)) + "; the " + ordinal(n) + " term is " + nth + ".");
    }

    static Exercise geometric(SplittableRandom r) {
        long a = between(r, 1, 9);
        long ratio = between(r, 2, 5) * (r.nextInt(5) == 0 ? -1 : 1);
        List<Long> terms = new ArrayList<>();
        long t = a;
        for (int i = 0; i < 8; i++) {
            terms.add(t);
            t *= ratio;
        }
        List<String> ratios = new ArrayList<>();
        for (int i = 1; i < 5; i++) {
            ratios.add(terms.get(i) + " ÷ " + terms.get(i - 1) + " = " + ratio);
        }
        return Exercise.of(ask(r, terms.subList(0, 5)), List.of("Ratios of consecutive terms: " + String.join("; ", ratios)
                        + " — constant, so the sequence is geometric with r = " + ratio + ".",
                "Next terms: " + terms.get(4) + " × " + ratio + " = " + terms.get(5) + ", then " + terms.get(6) + ", then " + terms.get(7) + ".",
                "n-th term: " + a + " × (" + ratio + ")^(n − 1)."), join(terms.subList(5, 8)) + ".");
    }

    static Exercise quadratic(SplittableRandom r) {
        long p = between(r, 1, 4);
        long q = between(r, -6, 6);
        long c = between(r, -10, 10);
        List<Long> terms = new ArrayList<>();
        for (long n = 1; n <= 8; n++) {
            terms.add(p * n * n + q * n + c);
        }
        List<Long> first = differences(terms.subList(0, 6));
        List<Long> second = differences(first);
        return Exercise.of(ask(r, terms.subList(0, 5)), List.of("First differences: " + join(first) + ".",
                "Second differences: " + join(second) + " — constant, so the rule is quadratic and its n² coefficient is "
                        + second.get(0) + " ÷ 2 = " + p + ".",
                "Subtracting " + p + "n² from each term leaves " + q + "n " + Vocabulary.signed(c, "") + ", so the n-th term is "
                        + p + "n² " + Vocabulary.signed(q, "n") + " " + Vocabulary.signed(c, "") + ".",
                "n = 6, 7, 8 give " + join(terms.subList(5, 8)) + "."), join(terms.subList(5, 8)) + ".");
    }

    static Exercise fibonacciLike(SplittableRandom r) {
        long a = between(r, 1, 12);
        long b = between(r, 1, 15);
        List<Long> terms = new ArrayList<>(List.of(a, b));
        while (terms.size() < 9) {
            terms.add(terms.get(terms.size() - 1) + terms.get(terms.size() - 2));
        }
        List<String> checks = new ArrayList<>();
        for (int i = 2; i < 6; i++) {
            checks.add(terms.get(i - 2) + " + " + terms.get(i - 1) + " = " + terms.get(i));
        }
        return Exercise.of(ask(r, terms.subList(0, 6)), List.of("The differences are not constant, but each term is the sum of the two before it: "
                        + String.join(", ", checks) + ".",
                "Continuing: " + terms.get(4) + " + " + terms.get(5) + " = " + terms.get(6) + ", " + terms.get(5) + " + " + terms.get(6) + " = "
                        + terms.get(7) + ", " + terms.get(6) + " + " + terms.get(7) + " = " + terms.get(8) + "."),
                join(terms.subList(6, 9)) + ".");
    }

    static Exercise alternating(SplittableRandom r) {
        long add = between(r, 1, 9);
        long times = between(r, 2, 3);
        long t = between(r, 1, 6);
        List<Long> terms = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            terms.add(t);
            t = i % 2 == 0 ? t + add : t * times;
        }
        return Exercise.of(ask(r, terms.subList(0, 6)), List.of("Look at the steps: +" + add + ", ×" + times + ", +" + add + ", ×" + times + " …",
                "The rule alternates: add " + add + ", then multiply by " + times + ".",
                "Continuing from " + terms.get(5) + ": " + join(terms.subList(6, 9)) + "."), join(terms.subList(6, 9)) + ".");
    }

    static Exercise series(SplittableRandom r) {
        long a = between(r, 1, 30);
        long d = between(r, 1, 9);
        int n = between(r, 10, 60);
        long last = a + (n - 1) * d;
        long sum = n * (a + last) / 2;
        String q = phrase(r, List.of("Find the sum of the first {0} terms of {1}, {2}, {3}, …",
                "Seats in a theatre: the first row has {1} seats and each row has {4} more than the one in front. How many seats are in {0} rows?"),
                n, a, a + d, a + 2 * d, d);
        return Exercise.of(q, List.of("This is arithmetic with a = " + a + " and d = " + d + ".",
                "Last term: " + a + " + " + (n - 1) + " × " + d + " = " + last + ".",
                "Sum = n × (first + last) ÷ 2 = " + n + " × (" + a + " + " + last + ") ÷ 2 = " + sum + "."), String.valueOf(sum));
    }

    static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }
}
