package org.millrace.producers.synth.internal;

import static org.millrace.producers.synth.internal.Vocabulary.between;
import static org.millrace.producers.synth.internal.Vocabulary.one;
import static org.millrace.producers.synth.internal.Vocabulary.phrase;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Units and measures: metric conversions, durations, speed, temperature, recipes and containers. */
public final class UnitLesson implements Lesson {
    private static final List<String> TITLES = List.of("Units of measurement", "Converting between units",
            "Measures in the metric system", "Speed, distance and time", "Working with units", "Quantities and their units");
    private static final List<String> INTROS = List.of(
            "Every measurement is a number together with a unit, and the unit matters as much as the number. "
                    + "In the metric system units differ by powers of ten, so converting means multiplying or dividing by 10, 100 or 1000.",
            "To convert, ask how many of the smaller unit make one of the larger unit. Going to a smaller unit the number "
                    + "gets bigger; going to a larger unit it gets smaller. Write the unit after every number in your working.",
            "Speed tells how far something goes in a unit of time. Knowing any two of speed, distance and time gives the "
                    + "third: distance = speed × time, time = distance ÷ speed, speed = distance ÷ time.",
            "A quick sanity check catches most unit mistakes: a kettle holds about a litre or two, a classroom is a few "
                    + "metres wide, a walk of an hour covers about five kilometres. Compare your answer with such anchors.");
    private final List<Function<SplittableRandom, Exercise>> kinds = List.of(UnitLesson::length, UnitLesson::mass,
            UnitLesson::containers, UnitLesson::duration, UnitLesson::journey, UnitLesson::temperature, UnitLesson::recipe,
            UnitLesson::tiles);

    @Override
    public String name() {
        return "units";
    }

    @Override
    public Section write(SplittableRandom r) {
        return Lesson.drawSection(r, 3, 6, kinds, TITLES, INTROS, "units and measures");
    }

    static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    private record Unit(String name, int exponent) {
    }

    private static final List<Unit> LENGTHS = List.of(new Unit("km", 3), new Unit("m", 0), new Unit("cm", -2), new Unit("mm", -3));
    private static final List<Unit> MASSES = List.of(new Unit("t", 6), new Unit("kg", 3), new Unit("g", 0), new Unit("mg", -3));

    static Exercise length(SplittableRandom r) {
        return convert(r, LENGTHS, "length", List.of("a footpath", "a ribbon", "a cable", "a race track", "a shelf", "a hose"));
    }

    static Exercise mass(SplittableRandom r) {
        return convert(r, MASSES, "mass", List.of("a parcel", "a bag of flour", "a tablet", "a lorry load", "a cheese", "a suitcase"));
    }

    private static Exercise convert(SplittableRandom r, List<Unit> units, String what, List<String> things) {
        List<Unit> two = Vocabulary.some(r, units, 2);
        Unit from = two.get(0);
        Unit to = two.get(1);
        BigDecimal value = BigDecimal.valueOf(between(r, 1, 9999), between(r, 0, 2));
        int shift = from.exponent() - to.exponent();
        BigDecimal result = value.scaleByPowerOfTen(shift);
        String factor = "1" + "0".repeat(Math.abs(shift));
        String q = phrase(r, List.of("The {3} of {0} is {1} {2}. Write it in {4}.", "Convert {1} {2} to {4}.",
                "{5} measures the {3} of {0} as {1} {2}. How many {4} is that?"),
                one(r, things), plain(value), from.name(), what, to.name(), one(r, Vocabulary.NAMES));
        String step = shift > 0
                ? "1 " + from.name() + " = " + factor + " " + to.name() + ", so multiply by " + factor + ": "
                : "1 " + to.name() + " = " + factor + " " + from.name() + ", so divide by " + factor + ": ";
        return Exercise.of(q, List.of(step + plain(value) + " " + (shift > 0 ? "×" : "÷") + " " + factor + " = " + plain(result) + "."),
                plain(value) + " " + from.name() + " = " + plain(result) + " " + to.name() + ".");
    }

    static Exercise containers(SplittableRandom r) {
        int cup = one(r, List.of(150, 200, 250, 300, 330, 400, 500));
        BigDecimal litres = BigDecimal.valueOf(between(r, 3, 60), 1);
        int ml = litres.multiply(BigDecimal.valueOf(1000)).intValueExact();
        int full = ml / cup;
        int rest = ml - full * cup;
        String q = phrase(r, List.of("A jug holds {0} litres. How many glasses of {1} mL can be filled completely, and how much is left?",
                "{2} pours {0} L of lemonade into cups of {1} mL. How many full cups are there, and how many millilitres remain?"),
                plain(litres), cup, one(r, Vocabulary.NAMES));
        return Exercise.of(q, List.of(plain(litres) + " L = " + plain(litres) + " × 1000 mL = " + ml + " mL.",
                ml + " ÷ " + cup + " = " + full + " remainder " + rest + "."), full + " full, " + rest + " mL left.");
    }

    static Exercise duration(SplittableRandom r) {
        int start = between(r, 6 * 60, 14 * 60 + 59);
        int length = between(r, 25, 8 * 60);
        int end = start + length;
        String q = phrase(r, List.of("A train leaves {2} at {0} and arrives at {1}. How long is the journey?",
                "A workshop in {2} starts at {0} and ends at {1}. How long does it last, in hours and minutes?"),
                clock(start), clock(end), one(r, Vocabulary.TOWNS));
        return Exercise.of(q, List.of(clock(start) + " is " + start + " minutes after midnight; " + clock(end) + " is " + end + ".",
                end + " − " + start + " = " + length + " minutes = " + length / 60 + " h " + length % 60 + " min."),
                length / 60 + " hours " + length % 60 + " minutes.");
    }

    static String clock(int minutes) {
        return String.format("%02d:%02d", minutes / 60 % 24, minutes % 60);
    }

    static Exercise journey(SplittableRandom r) {
        int speed = one(r, List.of(4, 5, 12, 15, 18, 20, 24, 30, 40, 45, 48, 60, 72, 80, 90, 100, 120));
        int minutes = one(r, List.of(10, 15, 20, 30, 40, 45, 50, 75, 90, 105, 120, 150));
        BigDecimal distance = BigDecimal.valueOf((long) speed * minutes).divide(BigDecimal.valueOf(60), 2, RoundingMode.HALF_UP);
        List<String> towns = Vocabulary.some(r, Vocabulary.TOWNS, 2);
        boolean exact = (long) speed * minutes % 3 == 0; // hundredths of a km: speed × minutes / 60 has two decimals
        if (!exact || r.nextBoolean()) {
            String q = phrase(r, List.of("A cyclist rides at {0} km/h for {1} minutes. How far does she go?",
                    "Travelling from {2} towards {3} at a steady {0} km/h, how many kilometres are covered in {1} minutes?"),
                    speed, minutes, towns.get(0), towns.get(1));
            return Exercise.of(q, List.of(minutes + " min = " + minutes + " ÷ 60 h.",
                    "Distance = " + speed + " km/h × " + minutes + "/60 h " + (exact ? "= " : "≈ ") + plain(distance) + " km."),
                    plain(distance) + " km.");
        }
        String q = phrase(r, List.of("The road from {2} to {3} is {0} km long. Driving at {1} km/h, how many minutes does it take?",
                "A ferry covers {0} km at {1} km/h. How long is the crossing?"), plain(distance), speed, towns.get(0), towns.get(1));
        return Exercise.of(q, List.of("Time = distance ÷ speed = " + plain(distance) + " ÷ " + speed + " h.",
                "In minutes: " + plain(distance) + " ÷ " + speed + " × 60 = " + minutes + " min."), minutes + " minutes.");
    }

    static Exercise temperature(SplittableRandom r) {
        if (r.nextBoolean()) {
            int c = between(r, -30, 45);
            BigDecimal f = BigDecimal.valueOf(c).multiply(BigDecimal.valueOf(9)).divide(BigDecimal.valueOf(5), 1, RoundingMode.HALF_UP)
                    .add(BigDecimal.valueOf(32));
            String q = phrase(r, List.of("The forecast for {1} says {0} °C. What is that in degrees Fahrenheit?",
                    "Convert {0} °C to °F."), c, one(r, Vocabulary.TOWNS));
            return Exercise.of(q, List.of("F = C × 9/5 + 32 = " + c + " × 9/5 + 32 = " + plain(f) + "."), plain(f) + " °F.");
        }
        int f = between(r, -10, 110);
        BigDecimal c = BigDecimal.valueOf(f - 32L).multiply(BigDecimal.valueOf(5)).divide(BigDecimal.valueOf(9), 1, RoundingMode.HALF_UP);
        String q = phrase(r, List.of("A thermometer in {1} reads {0} °F. What is that in °C, to one decimal place?",
                "Convert {0} °F to degrees Celsius, to one decimal place."), f, one(r, Vocabulary.TOWNS));
        boolean exact = (f - 32) * 5 % 9 == 0;
        return Exercise.of(q, List.of("C = (F − 32) × 5/9 = (" + f + " − 32) × 5/9 " + (exact ? "= " : "≈ ") + plain(c) + "."),
                plain(c) + " °C.");
    }

    static Exercise recipe(SplittableRandom r) {
        int serves = between(r, 2, 6);
        int wanted = between(r, 7, 40);
        int grams = between(r, 6, 60) * 10;
        String food = one(r, List.of("flour", "oats", "rice", "sugar", "lentils", "cheese", "pasta", "butter"));
        BigDecimal per = BigDecimal.valueOf(grams).divide(BigDecimal.valueOf(serves), 4, RoundingMode.HALF_UP);
        BigDecimal total = BigDecimal.valueOf((long) grams * wanted).divide(BigDecimal.valueOf(serves), 0, RoundingMode.HALF_UP);
        String q = phrase(r, List.of("A recipe for {0} people uses {1} g of {2}. How much {2} is needed for {3} people, in kilograms?",
                "{4} is cooking for {3} guests from a recipe that serves {0} and needs {1} g of {2}. How many kg of {2} are needed?"),
                serves, grams, food, wanted, one(r, Vocabulary.NAMES));
        return Exercise.of(q, List.of("Per person: " + grams + " g ÷ " + serves + " = " + plain(per.setScale(2, RoundingMode.HALF_UP)) + " g.",
                "For " + wanted + ": " + grams + " × " + wanted + " ÷ " + serves + " ≈ " + plain(total) + " g = "
                        + plain(total.movePointLeft(3)) + " kg."), plain(total.movePointLeft(3)) + " kg.");
    }

    static Exercise tiles(SplittableRandom r) {
        int side = one(r, List.of(10, 25, 50));
        int length = between(r, 1, 6) * 100 + (r.nextBoolean() ? 50 : 0);
        int width = between(r, 1, 5) * 100;
        int tiles = (length / side) * (width / side);
        String q = phrase(r, List.of("A floor is {0} cm by {1} cm. How many square tiles of side {2} cm cover it?",
                "How many {2} cm × {2} cm tiles are needed for a wall panel {0} cm long and {1} cm high?"), length, width, side);
        return Exercise.of(q, List.of("Along the length: " + length + " ÷ " + side + " = " + length / side + " tiles.",
                "Along the width: " + width + " ÷ " + side + " = " + width / side + " tiles.",
                "Total: " + length / side + " × " + width / side + " = " + tiles + "."), tiles + " tiles.");
    }
}
