package org.millrace.producers.synth.internal;

import static org.millrace.producers.synth.internal.Vocabulary.between;
import static org.millrace.producers.synth.internal.Vocabulary.money;
import static org.millrace.producers.synth.internal.Vocabulary.one;
import static org.millrace.producers.synth.internal.Vocabulary.phrase;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Arithmetic word problems: money, sharing, percentages, rates, areas, averages, ages, ratios. */
public final class ArithmeticLesson implements Lesson {
    private static final List<String> TITLES = List.of("Word problems with whole numbers", "Arithmetic in everyday life",
            "Solving multi-step word problems", "Money, measures and mental arithmetic", "Reasoning with quantities",
            "From story to equation", "Practical arithmetic", "Working out the answer step by step");
    private static final List<String> INTROS = List.of(
            "A word problem hides a calculation inside a short story. Read it once for the situation, a second time "
                    + "for the numbers, then decide which operations connect what you know to what you are asked.",
            "Before calculating, write down what is given and what is wanted. Many mistakes come from answering a "
                    + "different question than the one asked, so restate the question in your own words first.",
            "Most everyday problems need only the four operations, used in the right order. Multiplication gathers "
                    + "equal groups, division shares or measures, addition and subtraction combine and compare.",
            "A good habit is to estimate the answer before working it out exactly. If the exact result is far from "
                    + "the estimate, one of the steps has gone wrong and is worth checking again.",
            "When a problem has several steps, solve it one quantity at a time and label every intermediate result "
                    + "with its unit. The final line should answer the question in a full sentence.");
    private final List<Function<SplittableRandom, Exercise>> kinds = List.of(ArithmeticLesson::change,
            ArithmeticLesson::sharing, ArithmeticLesson::discount, ArithmeticLesson::savings, ArithmeticLesson::fence,
            ArithmeticLesson::average, ArithmeticLesson::stock, ArithmeticLesson::ratio, ArithmeticLesson::machines,
            ArithmeticLesson::ages);

    @Override
    public String name() {
        return "arithmetic";
    }

    @Override
    public Section write(SplittableRandom r) {
        return Lesson.drawSection(r, 3, 6, kinds, TITLES, INTROS, "arithmetic word problems");
    }

    static Exercise change(SplittableRandom r) {
        Vocabulary.Item item = one(r, Vocabulary.ITEMS);
        String who = one(r, Vocabulary.NAMES);
        int count = between(r, 2, 9);
        int price = between(r, item.minCents() / 5, item.maxCents() / 5) * 5;
        long cost = (long) count * price;
        long bill = ((cost / 500) + 1) * 500 + (r.nextBoolean() ? 0 : 1000);
        String q = phrase(r, List.of(
                "{0} buys {1} {2} at {3} each in {5} and pays with {4}. How much change does {0} get?",
                "At {5}, {2} cost {3} each. {0} takes {1} of them to the counter and hands over {4}. What change is due?",
                "{0} needs {1} {2}. Each costs {3}, and {0} pays with {4} at {5}. Find the change."),
                who, count, item.plural(), money(price), money(bill), one(r, Vocabulary.PLACES));
        return Exercise.of(q, List.of(
                "Cost of the " + item.plural() + ": " + count + " × " + money(price) + " = " + money(cost) + ".",
                "Change: " + money(bill) + " − " + money(cost) + " = " + money(bill - cost) + "."),
                who + " gets " + money(bill - cost) + " in change.");
    }

    static Exercise sharing(SplittableRandom r) {
        int groups = between(r, 3, 12);
        int each = between(r, 4, 40);
        int left = r.nextInt(groups);
        int total = groups * each + left;
        String thing = one(r, Vocabulary.COUNTABLES);
        Vocabulary.Noun container = one(r, Vocabulary.GROUPS);
        String q = phrase(r, List.of(
                "{0} {1} are shared out equally into {2} {3}. How many go into each, and how many are left over?",
                "A volunteer sorts {0} {1} into {2} {3}, putting the same number in each. How many per {4}, with how many left?",
                "There are {0} {1} and {2} {3}. If every one of the {3} gets the same number, how many does each get and what remains?"),
                total, thing, groups, container.plural(), container.singular());
        return Exercise.of(q, List.of(
                "Divide: " + total + " ÷ " + groups + " = " + each + " remainder " + left + ".",
                "Check: " + groups + " × " + each + " + " + left + " = " + total + "."),
                each + " " + thing + " in each, " + left + " left over.");
    }

    static Exercise discount(SplittableRandom r) {
        Vocabulary.Item item = one(r, Vocabulary.ITEMS);
        int pct = one(r, List.of(5, 10, 15, 20, 25, 30, 40, 50));
        long price = between(r, item.minCents() / 20, item.maxCents() / 10) * 20L;
        long saving = price * pct / 100;
        String q = phrase(r, List.of(
                "A {0} normally costs {1}. In a sale it is {2}% off. How much is saved, and what is the sale price?",
                "{3} sees a {0} marked {1} with a sign saying \"{2}% off\". What does {3} pay?",
                "The price of a {0} is cut by {2}% from {1}. Find the new price."),
                item.singular(), money(price), pct, one(r, Vocabulary.NAMES));
        return Exercise.of(q, List.of(
                pct + "% of " + money(price) + " = " + money(price) + " × " + pct + " ÷ 100 = " + money(saving) + ".",
                "Sale price: " + money(price) + " − " + money(saving) + " = " + money(price - saving) + "."),
                "The sale price is " + money(price - saving) + " (a saving of " + money(saving) + ").");
    }

    static Exercise savings(SplittableRandom r) {
        String who = one(r, Vocabulary.NAMES);
        Vocabulary.Item item = one(r, Vocabulary.ITEMS);
        long target = between(r, 20, 150) * 100L;
        long have = between(r, 0, (int) (target / 200)) * 100L;
        long weekly = between(r, 3, 25) * 100L;
        long missing = target - have;
        long weeks = (missing + weekly - 1) / weekly;
        String q = phrase(r, List.of(
                "{0} wants to buy a present costing {1}, has {2} already and saves {3} a week. After how many weeks can {0} afford it?",
                "To raise {1} for a school trip, {0} starts with {2} and puts aside {3} every week. How many weeks until the goal is reached?"),
                who, money(target), money(have), money(weekly), item.singular());
        List<String> steps = new ArrayList<>();
        steps.add("Still needed: " + money(target) + " − " + money(have) + " = " + money(missing) + ".");
        steps.add(money(missing) + " ÷ " + money(weekly) + " = " + String.format("%.2f", missing / (double) weekly) + " weeks.");
        if (missing % weekly != 0) {
            steps.add("A part of a week is not enough, so round up to " + weeks + ".");
        }
        return Exercise.of(q, steps, weeks + " weeks.");
    }

    static Exercise fence(SplittableRandom r) {
        int length = between(r, 4, 40);
        int width = between(r, 3, length);
        int perMetre = between(r, 3, 30);
        String q = phrase(r, List.of(
                "A rectangular garden is {0} m long and {1} m wide. Find its area, and the cost of fencing all the way round at {2} per metre.",
                "A playground measures {0} m by {1} m. What is its area? Fencing costs {2} a metre: what does it cost to enclose it?"),
                length, width, money(perMetre * 100L));
        int area = length * width;
        int perimeter = 2 * (length + width);
        return Exercise.of(q, List.of(
                "Area: " + length + " m × " + width + " m = " + area + " m².",
                "Perimeter: 2 × (" + length + " m + " + width + " m) = " + perimeter + " m.",
                "Fencing: " + perimeter + " × " + money(perMetre * 100L) + " = " + money(perimeter * perMetre * 100L) + "."),
                area + " m²; fencing costs " + money(perimeter * perMetre * 100L) + ".");
    }

    static Exercise average(SplittableRandom r) {
        int n = between(r, 4, 7);
        List<Integer> scores = new ArrayList<>();
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int s = between(r, 35, 100);
            scores.add(s);
            sum += s;
        }
        String who = one(r, Vocabulary.NAMES);
        String list = scores.toString().replace("[", "").replace("]", "");
        String q = phrase(r, List.of("{0} scored {1} in {2} tests. What is the mean score?",
                "The daily visitors to {3} over {2} days were {1}. Find the average per day."), who, list, n,
                one(r, Vocabulary.PLACES));
        String mean = new java.math.BigDecimal(sum).divide(new java.math.BigDecimal(n), 2, java.math.RoundingMode.HALF_UP).toPlainString();
        return Exercise.of(q, List.of("Sum: " + list.replace(", ", " + ") + " = " + sum + ".",
                "Mean: " + sum + " ÷ " + n + " = " + mean + " (to two decimal places)."), mean + ".");
    }

    static Exercise stock(SplittableRandom r) {
        String thing = one(r, Vocabulary.ITEMS).plural();
        int start = between(r, 80, 400);
        int monday = between(r, 10, start / 3);
        int tuesday = between(r, 10, start / 3);
        int delivery = between(r, 20, 150);
        int end = start - monday - tuesday + delivery;
        String q = phrase(r, List.of(
                "A shop in {5} has {0} {1}. It sells {2} on Monday and {3} on Tuesday, then a delivery brings {4} more. How many does it have now?",
                "{6} starts the week with {0} {1} in stock, sells {2}, then {3}, and receives {4}. How many are in stock?"),
                start, thing, monday, tuesday, delivery, one(r, Vocabulary.TOWNS), one(r, Vocabulary.PLACES));
        return Exercise.of(q, List.of("After Monday: " + start + " − " + monday + " = " + (start - monday) + ".",
                "After Tuesday: " + (start - monday) + " − " + tuesday + " = " + (start - monday - tuesday) + ".",
                "After the delivery: " + (start - monday - tuesday) + " + " + delivery + " = " + end + "."),
                end + " " + thing + ".");
    }

    static Exercise ratio(SplittableRandom r) {
        int a = between(r, 1, 7);
        int b = between(r, 1, 7);
        int unit = between(r, 2, 30);
        int total = (a + b) * unit;
        List<String> names = Vocabulary.twoNames(r);
        String q = phrase(r, List.of("{0} and {1} share {2} in the ratio {3}:{4}. How much does each get?",
                "A prize of {2} is split between {0} and {1} in the ratio {3} to {4}. Find both shares."),
                names.get(0), names.get(1), money(total * 100L), a, b);
        return Exercise.of(q, List.of("Total parts: " + a + " + " + b + " = " + (a + b) + ".",
                "One part: " + money(total * 100L) + " ÷ " + (a + b) + " = " + money(unit * 100L) + ".",
                names.get(0) + ": " + a + " × " + money(unit * 100L) + " = " + money(a * unit * 100L) + "; "
                        + names.get(1) + ": " + b + " × " + money(unit * 100L) + " = " + money(b * unit * 100L) + "."),
                names.get(0) + " gets " + money(a * unit * 100L) + " and " + names.get(1) + " gets " + money(b * unit * 100L) + ".");
    }

    static Exercise machines(SplittableRandom r) {
        int first = between(r, 12, 90);
        int second = between(r, 12, 90);
        int hours = between(r, 2, 9);
        String thing = one(r, Vocabulary.COUNTABLES);
        String q = phrase(r, List.of(
                "One machine makes {0} {3} an hour and a second makes {1} an hour. How many do both make together in {2} hours?",
                "Two packing lines handle {0} and {1} {3} per hour. Working side by side for {2} hours, how many do they handle?"),
                first, second, hours, thing);
        int rate = first + second;
        return Exercise.of(q, List.of("Together per hour: " + first + " + " + second + " = " + rate + ".",
                "In " + hours + " hours: " + rate + " × " + hours + " = " + rate * hours + "."), rate * hours + " " + thing + ".");
    }

    static Exercise ages(SplittableRandom r) {
        List<String> names = Vocabulary.twoNames(r);
        int younger = between(r, 3, 40);
        int gap = between(r, 1, 30);
        int sum = 2 * younger + gap;
        String q = phrase(r, List.of("{0} is {2} years older than {1}. Together their ages add up to {3}. How old is each?",
                "The sum of the ages of {0} and {1} is {3}, and {0} is the elder by {2} years. Find both ages."),
                names.get(0), names.get(1), gap, sum);
        return Exercise.of(q, List.of("Let " + names.get(1) + " be x years old; then " + names.get(0) + " is x + " + gap + ".",
                "x + (x + " + gap + ") = " + sum + ", so 2x = " + (sum - gap) + " and x = " + younger + "."),
                names.get(1) + " is " + younger + " and " + names.get(0) + " is " + (younger + gap) + ".");
    }
}
