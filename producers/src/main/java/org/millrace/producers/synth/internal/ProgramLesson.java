package org.millrace.producers.synth.internal;

import static org.millrace.producers.synth.internal.Vocabulary.between;
import static org.millrace.producers.synth.internal.Vocabulary.one;
import static org.millrace.producers.synth.internal.Vocabulary.phrase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * String and list manipulation in Python: a small function, a call, and what it prints, computed here
 * with the same semantics (Python's {@code repr} of strings, lists, dicts and booleans).
 */
public final class ProgramLesson implements Lesson {
    private static final List<String> TITLES = List.of("Working with strings and lists in Python", "Small programs on sequences",
            "Tracing Python code by hand", "List and string exercises", "Reading code: what does it print?",
            "Everyday algorithms on strings and lists");
    private static final List<String> INTROS = List.of(
            "Strings and lists are both sequences in Python: they can be indexed, sliced with s[start:stop:step] and "
                    + "looped over. Strings are immutable, so every string operation builds a new string; lists can be changed in place.",
            "To predict what a program prints, trace it: keep a small table of every variable and update it line by line. "
                    + "Tracing by hand is slow, but it is the surest way to understand code you did not write.",
            "Many small tasks follow one pattern: start with an empty result, walk through the input once, and update "
                    + "the result for each element. Counting, filtering, accumulating and grouping are all variations of it.",
            "A comprehension such as [x * x for x in xs if x % 2 == 0] reads as a sentence: take each x of xs, keep it "
                    + "if it is even, and collect its square. It replaces a loop that appends to a list.");
    private final List<Function<SplittableRandom, Exercise>> kinds = List.of(ProgramLesson::reverse, ProgramLesson::vowels,
            ProgramLesson::palindrome, ProgramLesson::titleCase, ProgramLesson::runLength, ProgramLesson::dedupe,
            ProgramLesson::sortByLength, ProgramLesson::runningSums, ProgramLesson::evenSquares, ProgramLesson::maxAndIndex,
            ProgramLesson::wordCount, ProgramLesson::caesar, ProgramLesson::chunks, ProgramLesson::merge, ProgramLesson::secondLargest);

    @Override
    public String name() {
        return "programs";
    }

    @Override
    public Section write(SplittableRandom r) {
        return Lesson.drawSection(r, 3, 5, kinds, TITLES, INTROS, "python strings and lists");
    }

    /** Python's repr of a lower-case ASCII string. */
    static String repr(String s) {
        return "'" + s + "'";
    }

    static String reprInts(List<Integer> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    static String reprStrings(List<String> xs) {
        return xs.stream().map(ProgramLesson::repr).collect(Collectors.joining(", ", "[", "]"));
    }

    static List<Integer> ints(SplittableRandom r, int n, int lo, int hi) {
        List<Integer> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs.add(between(r, lo, hi));
        }
        return xs;
    }

    private static Exercise program(SplittableRandom r, String task, String code, List<String> steps, String output) {
        String q = phrase(r, List.of("{0} What does the program print?", "{0} Trace the code and give its output.",
                "{0} Predict the output before running it."), task);
        return new Exercise(q, steps, output, code, output);
    }

    static Exercise reverse(SplittableRandom r) {
        String w = one(r, Vocabulary.WORDS);
        String out = new StringBuilder(w).reverse().toString();
        return program(r, "A slice with step −1 walks a string backwards.",
                "def reverse(s):\n    return s[::-1]\n\nprint(reverse(" + repr(w) + "))",
                List.of("s[::-1] takes the characters of " + repr(w) + " from the last to the first.", "Result: " + out + "."), out);
    }

    static Exercise vowels(SplittableRandom r) {
        String w = String.join(" ", Vocabulary.some(r, Vocabulary.WORDS, between(r, 1, 3)));
        long n = w.chars().filter(c -> "aeiou".indexOf(c) >= 0).count();
        String which = w.chars().filter(c -> "aeiou".indexOf(c) >= 0).mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining(", "));
        return program(r, "The function counts the vowels in a text.",
                "def count_vowels(text):\n    count = 0\n    for ch in text:\n        if ch in 'aeiou':\n            count += 1\n    return count\n\n"
                        + "print(count_vowels(" + repr(w) + "))",
                List.of("The vowels of " + repr(w) + " in order: " + (which.isEmpty() ? "none" : which) + ".", "There are " + n + "."),
                String.valueOf(n));
    }

    static Exercise palindrome(SplittableRandom r) {
        List<String> words = Vocabulary.some(r, Vocabulary.WORDS, 3);
        List<String> results = new ArrayList<>();
        for (String w : words) {
            results.add(w.equals(new StringBuilder(w).reverse().toString()) ? "True" : "False");
        }
        return program(r, "A palindrome reads the same forwards and backwards.",
                "def is_palindrome(word):\n    return word == word[::-1]\n\nfor w in " + reprStrings(words) + ":\n    print(w, is_palindrome(w))",
                words.stream().map(w -> w + " reversed is " + new StringBuilder(w).reverse()).collect(Collectors.toList()),
                String.join("\n", List.of(words.get(0) + " " + results.get(0), words.get(1) + " " + results.get(1),
                        words.get(2) + " " + results.get(2))));
    }

    static Exercise titleCase(SplittableRandom r) {
        List<String> words = Vocabulary.some(r, Vocabulary.WORDS, between(r, 2, 5));
        String out = words.stream().map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining(" "));
        return program(r, "Each word gets a capital first letter.",
                "phrase = " + repr(String.join(" ", words)) + "\nprint(' '.join(w.capitalize() for w in phrase.split()))",
                List.of("split() gives " + reprStrings(words) + ".", "capitalize() upper-cases each first letter; join puts the spaces back."), out);
    }

    static Exercise runLength(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        List<String> steps = new ArrayList<>();
        char last = 0;
        for (int i = 0, runs = between(r, 3, 6); i < runs; i++) {
            char c;
            do {
                c = (char) ('a' + r.nextInt(6));
            } while (c == last);
            last = c;
            int k = between(r, 1, 5);
            s.append(String.valueOf(c).repeat(k));
            encoded.append(c).append(k);
            steps.add("a run of " + k + " × '" + c + "' gives " + c + k);
        }
        return program(r, "Run-length encoding replaces each run of equal characters by the character and the run's length.",
                "def encode(s):\n    out = ''\n    i = 0\n    while i < len(s):\n        j = i\n        while j < len(s) and s[j] == s[i]:\n"
                        + "            j += 1\n        out += s[i] + str(j - i)\n        i = j\n    return out\n\nprint(encode(" + repr(s.toString()) + "))",
                List.of(String.join("; ", steps) + "."), encoded.toString());
    }

    static Exercise dedupe(SplittableRandom r) {
        List<Integer> xs = ints(r, between(r, 6, 11), 1, 9);
        List<Integer> out = new ArrayList<>(new LinkedHashSet<>(xs));
        return program(r, "The function removes repeated numbers but keeps the first occurrence of each, in order.",
                "def unique(xs):\n    seen = set()\n    out = []\n    for x in xs:\n        if x not in seen:\n            seen.add(x)\n"
                        + "            out.append(x)\n    return out\n\nprint(unique(" + reprInts(xs) + "))",
                List.of("Walk the list; a number already in seen is skipped.", "Kept in order of first appearance: " + reprInts(out) + "."),
                reprInts(out));
    }

    static Exercise sortByLength(SplittableRandom r) {
        List<String> words = Vocabulary.some(r, Vocabulary.WORDS, between(r, 4, 7));
        List<String> sorted = new ArrayList<>(words);
        sorted.sort(java.util.Comparator.comparingInt(String::length).thenComparing(w -> w));
        return program(r, "A key function can sort by more than one thing: here by length, and alphabetically among words of equal length.",
                "words = " + reprStrings(words) + "\nprint(sorted(words, key=lambda w: (len(w), w)))",
                List.of("Lengths: " + words.stream().map(w -> w + " " + w.length()).collect(Collectors.joining(", ")) + ".",
                        "Ordered by (length, word): " + reprStrings(sorted) + "."), reprStrings(sorted));
    }

    static Exercise runningSums(SplittableRandom r) {
        List<Integer> xs = ints(r, between(r, 4, 8), -5, 20);
        List<Integer> sums = new ArrayList<>();
        int total = 0;
        for (int x : xs) {
            total += x;
            sums.add(total);
        }
        return program(r, "A running total adds each number to the sum of those before it.",
                "def running(xs):\n    total = 0\n    out = []\n    for x in xs:\n        total += x\n        out.append(total)\n    return out\n\n"
                        + "print(running(" + reprInts(xs) + "))",
                List.of("total after each step: " + sums.stream().map(String::valueOf).collect(Collectors.joining(" → ")) + "."), reprInts(sums));
    }

    static Exercise evenSquares(SplittableRandom r) {
        List<Integer> xs = ints(r, between(r, 5, 9), 1, 15);
        List<Integer> out = xs.stream().filter(x -> x % 2 == 0).map(x -> x * x).collect(Collectors.toList());
        return program(r, "The comprehension keeps the even numbers and squares them.",
                "xs = " + reprInts(xs) + "\nprint([x * x for x in xs if x % 2 == 0])",
                List.of("Even numbers: " + reprInts(xs.stream().filter(x -> x % 2 == 0).collect(Collectors.toList())) + ".",
                        "Their squares: " + reprInts(out) + "."), reprInts(out));
    }

    static Exercise maxAndIndex(SplittableRandom r) {
        List<Integer> xs = ints(r, between(r, 5, 9), -30, 99);
        int m = xs.stream().max(Integer::compare).orElseThrow();
        int at = xs.indexOf(m);
        return program(r, "max() finds the largest value and index() its first position (counting from 0).",
                "readings = " + reprInts(xs) + "\nbest = max(readings)\nprint(best, readings.index(best))",
                List.of("The largest value is " + m + ".", "It first appears at position " + at + "."), m + " " + at);
    }

    static Exercise wordCount(SplittableRandom r) {
        List<String> pool = Vocabulary.some(r, Vocabulary.WORDS, between(r, 2, 4));
        List<String> text = new ArrayList<>();
        for (int i = 0, n = between(r, 5, 10); i < n; i++) {
            text.add(one(r, pool));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        text.forEach(w -> counts.merge(w, 1, Integer::sum));
        String out = counts.entrySet().stream().map(e -> repr(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
        return program(r, "A dictionary counts how often each word occurs; it keeps the order in which words were first seen.",
                "counts = {}\nfor w in " + repr(String.join(" ", text)) + ".split():\n    counts[w] = counts.get(w, 0) + 1\nprint(counts)",
                List.of("The words in order: " + String.join(", ", text) + ".", "Counting each as it comes gives " + out + "."), out);
    }

    static Exercise caesar(SplittableRandom r) {
        String w = one(r, Vocabulary.WORDS);
        int k = between(r, 1, 25);
        StringBuilder out = new StringBuilder();
        for (char c : w.toCharArray()) {
            out.append((char) ('a' + (c - 'a' + k) % 26));
        }
        return program(r, "A Caesar cipher shifts every letter a fixed number of places, wrapping from z to a.",
                "def shift(word, k):\n    return ''.join(chr((ord(c) - ord('a') + k) % 26 + ord('a')) for c in word)\n\nprint(shift("
                        + repr(w) + ", " + k + "))",
                List.of("Each letter moves " + k + " places: " + w.charAt(0) + " → " + out.charAt(0) + ", " + w.charAt(w.length() - 1)
                        + " → " + out.charAt(out.length() - 1) + "."), out.toString());
    }

    static Exercise chunks(SplittableRandom r) {
        List<Integer> xs = ints(r, between(r, 5, 11), 0, 50);
        int k = between(r, 2, 4);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < xs.size(); i += k) {
            parts.add(reprInts(xs.subList(i, Math.min(xs.size(), i + k))));
        }
        String out = "[" + String.join(", ", parts) + "]";
        return program(r, "Slicing in steps of k cuts a list into groups of k; the last group may be shorter.",
                "xs = " + reprInts(xs) + "\nk = " + k + "\nprint([xs[i:i + k] for i in range(0, len(xs), k)])",
                List.of("Start positions: " + java.util.stream.IntStream.iterate(0, i -> i < xs.size(), i -> i + k).mapToObj(String::valueOf)
                        .collect(Collectors.joining(", ")) + ".", "Groups: " + out + "."), out);
    }

    static Exercise merge(SplittableRandom r) {
        List<Integer> a = ints(r, between(r, 3, 5), 0, 40);
        List<Integer> b = ints(r, between(r, 3, 5), 0, 40);
        a.sort(null);
        b.sort(null);
        List<Integer> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            out.add(a.get(i) <= b.get(j) ? a.get(i++) : b.get(j++));
        }
        out.addAll(a.subList(i, a.size()));
        out.addAll(b.subList(j, b.size()));
        return program(r, "Merging two sorted lists compares their front elements and always takes the smaller.",
                "def merge(a, b):\n    out, i, j = [], 0, 0\n    while i < len(a) and j < len(b):\n        if a[i] <= b[j]:\n"
                        + "            out.append(a[i]); i += 1\n        else:\n            out.append(b[j]); j += 1\n    return out + a[i:] + b[j:]\n\n"
                        + "print(merge(" + reprInts(a) + ", " + reprInts(b) + "))",
                List.of("Repeatedly take the smaller front element; when one list runs out, append the rest of the other."), reprInts(out));
    }

    static Exercise secondLargest(SplittableRandom r) {
        List<Integer> xs = ints(r, between(r, 5, 9), 1, 30);
        List<Integer> distinct = xs.stream().distinct().sorted().collect(Collectors.toList());
        if (distinct.size() < 2) {
            xs.add(distinct.get(0) + 1);
            distinct = xs.stream().distinct().sorted().collect(Collectors.toList());
        }
        int out = distinct.get(distinct.size() - 2);
        return program(r, "Converting to a set removes repeats; sorting then puts the second largest value next to last.",
                "xs = " + reprInts(xs) + "\nprint(sorted(set(xs))[-2])",
                List.of("Distinct values in order: " + reprInts(distinct) + ".", "The next-to-last is " + out + "."), String.valueOf(out));
    }
}
