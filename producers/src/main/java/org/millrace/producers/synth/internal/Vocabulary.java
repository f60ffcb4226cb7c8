package org.millrace.producers.synth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Names, things and places that exercises are written about, and ways of picking from them. */
public final class Vocabulary {
    public static final List<String> NAMES = List.of("Amara", "Ben", "Chen", "Dolores", "Emeka", "Farah", "Gustav",
            "Hana", "Ignacio", "Jun", "Kavya", "Lars", "Mei", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sipho",
            "Tomasz", "Uma", "Viktor", "Wanjiru", "Xavier", "Yara", "Zeynep", "Aiko", "Bilal", "Camille", "Dmitri",
            "Esther", "Felipe", "Greta", "Hamid", "Ingrid", "Jamal", "Kofi", "Leila", "Mateo", "Nadia", "Oscar",
            "Paulina", "Rahul", "Sofia", "Tariq", "Ursula", "Valentina", "Wei", "Yusuf", "Zara", "Anouk", "Bruno",
            "Chiara", "Diego", "Elif", "Finn", "Giulia", "Hiroshi", "Isla", "Jonas");

    /** Things bought by the piece, with a plausible price range in cents. */
    public record Item(String singular, String plural, int minCents, int maxCents) {
    }

    public static final List<Item> ITEMS = List.of(
            new Item("notebook", "notebooks", 120, 650), new Item("pencil", "pencils", 25, 180),
            new Item("apple", "apples", 30, 120), new Item("loaf of bread", "loaves of bread", 150, 480),
            new Item("bus ticket", "bus tickets", 120, 350), new Item("packet of seeds", "packets of seeds", 90, 400),
            new Item("ball of wool", "balls of wool", 250, 900), new Item("light bulb", "light bulbs", 180, 850),
            new Item("cinema ticket", "cinema tickets", 600, 1400), new Item("bottle of juice", "bottles of juice", 110, 390),
            new Item("paintbrush", "paintbrushes", 140, 720), new Item("guidebook", "guidebooks", 900, 2400),
            new Item("flower pot", "flower pots", 200, 1100), new Item("chess set", "chess sets", 1500, 4500),
            new Item("tennis ball", "tennis balls", 80, 300), new Item("jar of honey", "jars of honey", 350, 1200),
            new Item("USB cable", "USB cables", 300, 1500), new Item("map", "maps", 250, 990),
            new Item("sandwich", "sandwiches", 280, 750), new Item("candle", "candles", 90, 600),
            new Item("roll of tape", "rolls of tape", 100, 450), new Item("puzzle", "puzzles", 700, 2500),
            new Item("bag of rice", "bags of rice", 180, 900), new Item("kite", "kites", 500, 1800));

    /** Things counted and shared out. */
    public static final List<String> COUNTABLES = List.of("marbles", "stickers", "chairs", "seedlings", "oranges",
            "books", "tiles", "postcards", "biscuits", "screws", "beads", "coins", "sheets of paper", "eggs",
            "bricks", "tulip bulbs", "pages", "crayons", "buttons", "batteries");

    /** A noun in both numbers. */
    public record Noun(String singular, String plural) {
    }

    public static final List<Noun> GROUPS = List.of(new Noun("box", "boxes"), new Noun("shelf", "shelves"),
            new Noun("table", "tables"), new Noun("crate", "crates"), new Noun("bag", "bags"), new Noun("row", "rows"),
            new Noun("basket", "baskets"), new Noun("tray", "trays"), new Noun("classroom", "classrooms"),
            new Noun("team", "teams"), new Noun("envelope", "envelopes"), new Noun("drawer", "drawers"));

    public static final List<String> PLACES = List.of("the library", "a bakery", "the village market", "a bicycle shop",
            "the school fair", "a hardware store", "the harbour kiosk", "a garden centre", "the museum shop",
            "a bookshop", "the railway station", "a pharmacy", "the community hall", "a street stall");

    public static final List<String> TOWNS = List.of("Aberdeen", "Bergen", "Coimbra", "Dunedin", "Esbjerg", "Florence",
            "Ghent", "Hobart", "Innsbruck", "Jaipur", "Kyoto", "Lyon", "Mombasa", "Nantes", "Oaxaca", "Porto",
            "Quebec", "Riga", "Salzburg", "Tallinn", "Utrecht", "Valparaiso", "Windhoek", "York", "Zagreb");

    public static final List<String> WORDS = List.of("river", "lantern", "pebble", "orbit", "meadow", "cobalt",
            "harbor", "violin", "tundra", "quartz", "ember", "saddle", "glacier", "noodle", "prism", "falcon",
            "compass", "thimble", "walnut", "canyon", "mosaic", "ribbon", "parsley", "anchor", "level", "radar",
            "kayak", "rotor", "civic", "banana", "mississippi", "balloon", "bookkeeper", "letter", "coffee",
            "window", "garden", "planet", "silver", "marble", "pepper", "puzzle", "rocket", "tunnel", "velvet",
            "zebra", "yogurt", "island", "jigsaw", "kettle", "ladder", "magnet", "needle", "oyster", "pillow");

    private Vocabulary() {
    }

    public static <T> T one(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    /** A whole number in [lo, hi]. */
    public static int between(SplittableRandom r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    /** {@code n} distinct elements in random order. */
    public static <T> List<T> some(SplittableRandom r, List<T> list, int n) {
        List<T> copy = new ArrayList<>(list);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy.subList(0, Math.min(n, copy.size()));
    }

    /** Two different names. */
    public static List<String> twoNames(SplittableRandom r) {
        return some(r, NAMES, 2);
    }

    /** Cents as money: {@code $4.05}. */
    public static String money(long cents) {
        return (cents < 0 ? "-" : "") + "$" + Math.abs(cents) / 100 + "." + String.format("%02d", Math.abs(cents) % 100);
    }

    /** Picks a phrasing and fills {@code {0}}, {@code {1}}... */
    public static String phrase(SplittableRandom r, List<String> templates, Object... args) {
        String s = fill(one(r, templates), args);
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A term of a sum written with its sign: {@code + 3n}, {@code − 8}. */
    public static String signed(long value, String suffix) {
        return (value < 0 ? "− " + -value : "+ " + value) + suffix;
    }

    public static String fill(String template, Object... args) {
        String s = template;
        for (int i = 0; i < args.length; i++) {
            s = s.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return s;
    }
}
