package org.millrace.evaluation.sets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.millrace.common.evalsets.EvalItem;

/**
 * WordNet definition → word: "Definition: a young horse\nWord:" → " colt", the distractors words of
 * other synsets of the same part of speech, never one of the synset's own words. Synsets whose first
 * word is not a plain lower-case word, or appears in its own definition, are passed over.
 */
final class WordNetItems {
    private static final List<String> FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv");
    private static final Pattern PLAIN = Pattern.compile("[a-z][a-z_-]{2,19}");

    private WordNetItems() {
    }

    private record Synset(String file, String offset, String word, Set<String> words, String definition) {
    }

    static List<EvalItem> build(Path dir, String source, EvalSetSettings s) throws IOException {
        Map<String, List<Synset>> byFile = new TreeMap<>();
        for (String f : FILES) {
            Path file = dir.resolve(f);
            if (Files.isRegularFile(file)) {
                byFile.put(f, read(file, f));
            }
        }
        List<Synset> all = new ArrayList<>();
        byFile.values().forEach(all::addAll);
        List<Synset> chosen = Sampling.shuffled(all, s.seed(), "wordnet").subList(0, Math.min(s.wordnetItems(), all.size()));
        Random random = Sampling.random(s.seed(), "wordnet/distractors");
        List<EvalItem> out = new ArrayList<>();
        for (Synset syn : chosen) {
            List<String> pool = byFile.get(syn.file()).stream().map(Synset::word).toList();
            List<String> wrong = Sampling.distractors(pool, s.choices() - 1, random, w -> !syn.words().contains(w));
            if (wrong.size() < s.choices() - 1) {
                continue;
            }
            List<String> choices = new ArrayList<>(wrong);
            int gold = Sampling.place(choices, syn.word(), random);
            out.add(EvalItem.choice(syn.file() + ":" + syn.offset(), source, null, syn.word().replace('_', ' ') + ": " + syn.definition(),
                    "Definition: " + syn.definition() + "\nWord:", choices.stream().map(w -> " " + w.replace('_', ' ')).toList(), gold));
        }
        return out;
    }

    private static List<Synset> read(Path file, String name) throws IOException {
        List<Synset> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("  ") || line.isBlank()) {
                    continue; // licence header
                }
                int bar = line.indexOf(" | ");
                if (bar < 0) {
                    continue;
                }
                String[] f = line.substring(0, bar).split(" ");
                int count = Integer.parseInt(f[3], 16);
                Set<String> words = new java.util.HashSet<>();
                for (int i = 0; i < count; i++) {
                    words.add(f[4 + 2 * i].replaceAll("\\(.*\\)$", "").toLowerCase(Locale.ROOT));
                }
                String word = f[4].replaceAll("\\(.*\\)$", "");
                String definition = line.substring(bar + 3).split(";")[0].strip();
                int defWords = definition.split("\\s+").length;
                if (!PLAIN.matcher(word).matches() || defWords < 4 || defWords > 30
                        || definition.toLowerCase(Locale.ROOT).contains(word.replace('_', ' '))) {
                    continue;
                }
                out.add(new Synset(name, f[0], word, words, definition));
            }
        }
        return out;
    }
}
