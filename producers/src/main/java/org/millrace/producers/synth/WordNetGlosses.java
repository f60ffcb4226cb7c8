package org.millrace.producers.synth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * WordNet synsets with their glosses, read from the {@code data.noun}, {@code data.verb},
 * {@code data.adj} and {@code data.adv} files of the fetched corpus ({@code <corpus>/wordnet}).
 *
 * <p>WordNet is an evaluation source (definition → word). Only the synsets that
 * {@link #reservedForEvaluation(char, long)} leaves out are loaded here, so glossary sections never
 * hold an item of that evaluation: the evaluator draws its items from the reserved half.
 */
public final class WordNetGlosses {
    private static final String[] FILES = {"data.noun", "data.verb", "data.adj", "data.adv"};
    private static final java.util.regex.Pattern ADJ_MARKER = java.util.regex.Pattern.compile("\\([a-z]+\\)$");
    private static final java.util.regex.Pattern GLOSS_PARTS = java.util.regex.Pattern.compile(";\\s*");

    /**
     * One synset.
     *
     * @param pos       n, v, a (also s, satellite adjectives) or r
     * @param offset    byte offset in its data file: the synset's id within its part of speech
     * @param category  lexicographer file name, e.g. {@code noun.animal}
     * @param words     lemmas, underscores turned into spaces
     * @param gloss     the definition, without the example sentences
     * @param examples  example sentences of the gloss, unquoted
     * @param hypernym  offset of the first hypernym synset ({@code @} pointer), or -1
     */
    public record Synset(char pos, long offset, String category, List<String> words, String gloss, List<String> examples,
                         long hypernym) {
    }

    private final List<Synset> synsets;
    private final Map<String, List<Synset>> byCategory;
    private final Map<Long, Synset> nouns;

    private WordNetGlosses(List<Synset> synsets) {
        this.synsets = List.copyOf(synsets);
        Map<String, List<Synset>> cats = new HashMap<>();
        Map<Long, Synset> n = new HashMap<>();
        for (Synset s : synsets) {
            cats.computeIfAbsent(s.category(), k -> new ArrayList<>()).add(s);
            if (s.pos() == 'n') {
                n.put(s.offset(), s);
            }
        }
        cats.replaceAll((k, v) -> List.copyOf(v));
        this.byCategory = Collections.unmodifiableMap(cats);
        this.nouns = n;
    }

    /**
     * Whether a synset is kept for the evaluation sets and out of every generated document: a fixed
     * half of the synsets, by a hash of part of speech and offset (satellite adjectives count as
     * {@code a}). The evaluator draws definition → word items from this half only.
     */
    public static boolean reservedForEvaluation(char pos, long offset) {
        long posCode = switch (pos) {
            case 'n' -> 1;
            case 'v' -> 2;
            case 'a', 's' -> 3;
            default -> 4;
        };
        long z = offset * 4 + posCode + 0x9E3779B97F4A7C15L; // SplitMix64 finaliser: a stable, well-mixed bit
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z & 1) == 0;
    }

    /** Loads the glosses under {@code <corpusDir>/wordnet} when that source was fetched. */
    public static Optional<WordNetGlosses> fromCorpus(Path corpusDir) {
        Path dir = corpusDir.resolve("wordnet");
        return Files.isRegularFile(dir.resolve("data.noun")) ? Optional.of(load(dir)) : Optional.empty();
    }

    /** Loads the data files of a WordNet directory (the files that are present). */
    public static WordNetGlosses load(Path dir) {
        List<Synset> all = new ArrayList<>();
        for (String name : FILES) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                String line;
                while ((line = in.readLine()) != null) {
                    Synset s = parse(line);
                    if (s != null) {
                        all.add(s);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read WordNet file " + file + ": " + e.getMessage(), e);
            }
        }
        return new WordNetGlosses(all);
    }

    /** A data-file line: offset lex_filenum ss_type w_cnt (word lex_id)... p_cnt (ptr)... [frames] | gloss; null for the licence header. */
    static Synset parse(String line) {
        if (line.startsWith("  ") || line.isBlank()) {
            return null;
        }
        int bar = line.indexOf(" | ");
        if (bar < 0) {
            return null;
        }
        try {
            if (line.length() > 12 && reservedForEvaluation(line.charAt(12), Long.parseLong(line.substring(0, 8)))) {
                return null; // the evaluation half: never parsed, never generated from
            }
            String[] f = line.substring(0, bar).trim().split(" ");
            long offset = Long.parseLong(f[0]);
            int lexFile = Integer.parseInt(f[1]);
            char pos = f[2].charAt(0);
            int wordCount = Integer.parseInt(f[3], 16);
            List<String> words = new ArrayList<>();
            int i = 4;
            for (int w = 0; w < wordCount; w++, i += 2) {
                String lemma = f[i].endsWith(")") ? ADJ_MARKER.matcher(f[i]).replaceAll("") : f[i];
                words.add(lemma.replace('_', ' '));
            }
            int pointers = Integer.parseInt(f[i++]);
            long hypernym = -1;
            for (int p = 0; p < pointers; p++, i += 4) {
                if (hypernym < 0 && (f[i].equals("@") || f[i].equals("@i")) && f[i + 2].equals("n")) {
                    hypernym = Long.parseLong(f[i + 1]);
                }
            }
            String[] gloss = GLOSS_PARTS.split(line.substring(bar + 3).trim());
            List<String> examples = new ArrayList<>();
            StringBuilder definition = new StringBuilder();
            for (String part : gloss) {
                String p = part.trim();
                if (p.startsWith("\"")) {
                    examples.add(p.substring(1, p.length() > 1 && p.endsWith("\"") ? p.length() - 1 : p.length()));
                } else if (examples.isEmpty() && !p.isEmpty()) {
                    definition.append(definition.length() == 0 ? "" : "; ").append(p);
                }
            }
            if (definition.length() == 0) {
                return null;
            }
            return new Synset(pos, offset, category(lexFile), List.copyOf(words), definition.toString(), List.copyOf(examples), hypernym);
        } catch (RuntimeException malformed) {
            return null; // not a synset line
        }
    }

    public List<Synset> synsets() {
        return synsets;
    }

    /** Categories (lexicographer files) with at least {@code min} synsets. */
    public List<String> categories(int min) {
        return byCategory.entrySet().stream().filter(e -> e.getValue().size() >= min).map(Map.Entry::getKey).sorted().toList();
    }

    public List<Synset> inCategory(String category) {
        return byCategory.getOrDefault(category, List.of());
    }

    /** A noun synset by offset, when it is in the loaded (non-reserved) half. */
    public Optional<Synset> noun(long offset) {
        return Optional.ofNullable(nouns.get(offset));
    }

    private static final String[] LEX_NAMES = {"adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
        "noun.artifact", "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling",
        "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon",
        "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation", "noun.shape", "noun.state",
        "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition", "verb.communication",
        "verb.competition", "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
        "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl"};

    static String category(int lexFile) {
        return lexFile >= 0 && lexFile < LEX_NAMES.length ? LEX_NAMES[lexFile] : "other";
    }
}
