package org.millrace.producers.synth.internal;

import static org.millrace.producers.synth.internal.Vocabulary.between;
import static org.millrace.producers.synth.internal.Vocabulary.one;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.millrace.producers.synth.WordNetGlosses;
import org.millrace.producers.synth.WordNetGlosses.Synset;

/**
 * Glossary sections: the terms of one WordNet category with their definitions, synonyms, broader
 * terms and examples, then questions whose answers are read off the entries. Only synsets outside the
 * evaluation half are loaded ({@link WordNetGlosses}).
 */
public final class GlossaryLesson implements Lesson {
    private static final Map<String, String> TITLES = Map.ofEntries(Map.entry("noun.act", "Acts and activities"),
            Map.entry("noun.animal", "Animals"), Map.entry("noun.artifact", "Made things: tools, buildings and devices"),
            Map.entry("noun.attribute", "Qualities and properties"), Map.entry("noun.body", "The body"),
            Map.entry("noun.cognition", "Thought and knowledge"), Map.entry("noun.communication", "Language and communication"),
            Map.entry("noun.event", "Events and happenings"), Map.entry("noun.feeling", "Feelings and emotions"),
            Map.entry("noun.food", "Food and drink"), Map.entry("noun.group", "Groups and collections"),
            Map.entry("noun.location", "Places and regions"), Map.entry("noun.object", "Natural objects"),
            Map.entry("noun.person", "People and roles"), Map.entry("noun.phenomenon", "Natural phenomena"),
            Map.entry("noun.plant", "Plants"), Map.entry("noun.possession", "Property and money"),
            Map.entry("noun.process", "Processes"), Map.entry("noun.quantity", "Quantities and units"),
            Map.entry("noun.shape", "Shapes"), Map.entry("noun.state", "States and conditions"),
            Map.entry("noun.substance", "Substances and materials"), Map.entry("noun.time", "Time"),
            Map.entry("verb.motion", "Verbs of motion"), Map.entry("verb.communication", "Verbs of communication"),
            Map.entry("verb.change", "Verbs of change"), Map.entry("verb.contact", "Verbs of contact"),
            Map.entry("verb.creation", "Verbs of making"), Map.entry("verb.cognition", "Verbs of thinking"),
            Map.entry("adj.all", "Describing words"), Map.entry("adv.all", "Adverbs"));
    private static final List<String> INTROS = List.of(
            "A glossary collects the terms of a subject with short definitions. Reading definitions side by side shows how "
                    + "the terms differ: which is broader, which is a special case, and which mean nearly the same thing.",
            "Each entry below gives a term, its definition, other words for the same idea, and where it helps the broader "
                    + "class it belongs to. Knowing the broader class is often the quickest way to remember a definition.",
            "Definitions in a good dictionary follow a pattern: the class a thing belongs to, then what sets it apart from "
                    + "the other members of that class. Look for both parts in the entries of this section.");
    private final WordNetGlosses glosses;
    private final List<String> categories;

    public GlossaryLesson(WordNetGlosses glosses) {
        this.glosses = glosses;
        this.categories = glosses.categories(40).stream().filter(TITLES::containsKey).toList();
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("the WordNet glosses hold no category with at least 40 synsets");
        }
    }

    @Override
    public String name() {
        return "glossary";
    }

    @Override
    public Section write(SplittableRandom r) {
        String category = one(r, categories);
        List<Synset> entries = Vocabulary.some(r, glosses.inCategory(category), between(r, 6, 12));
        entries.sort(java.util.Comparator.comparing(s -> s.words().get(0).toLowerCase(java.util.Locale.ROOT)));
        StringBuilder text = new StringBuilder(one(r, INTROS)).append("\n\n");
        for (Synset s : entries) {
            text.append(entry(s)).append('\n');
        }
        List<Exercise> exercises = new ArrayList<>();
        for (Synset s : Vocabulary.some(r, entries, between(r, 2, 4))) {
            exercises.add(question(r, s));
        }
        return new Section("Glossary: " + TITLES.get(category), text.toString().strip(),
                "the vocabulary of " + TITLES.get(category).toLowerCase(java.util.Locale.ROOT), exercises);
    }

    private String entry(Synset s) {
        StringBuilder e = new StringBuilder("- **").append(s.words().get(0)).append("** (").append(partOfSpeech(s.pos()))
                .append("): ").append(s.gloss()).append('.');
        if (s.words().size() > 1) {
            e.append(" Also: ").append(String.join(", ", s.words().subList(1, s.words().size()))).append('.');
        }
        glosses.noun(s.hypernym()).ifPresent(h -> e.append(" A kind of ").append(h.words().get(0)).append('.'));
        if (!s.examples().isEmpty()) {
            e.append(" Example: \"").append(s.examples().get(0)).append("\"");
        }
        return e.toString();
    }

    private Exercise question(SplittableRandom r, Synset s) {
        String term = s.words().get(0);
        var hypernym = glosses.noun(s.hypernym());
        if (hypernym.isPresent() && r.nextBoolean()) {
            String broader = hypernym.get().words().get(0);
            return Exercise.of("In this section, " + term + " belongs to which broader class?",
                    List.of("The entry for " + term + " says: \"A kind of " + broader + ".\""), term + " is a kind of " + broader + ".");
        }
        if (s.words().size() > 1 && r.nextBoolean()) {
            return Exercise.of("Give another word for " + term + ", as listed in the glossary.",
                    List.of("The entry lists: " + String.join(", ", s.words().subList(1, s.words().size())) + "."),
                    s.words().get(1) + ".");
        }
        return Exercise.of("Which " + partOfSpeech(s.pos()) + " in the glossary above means \"" + s.gloss() + "\"?",
                List.of("Compare the definition with each entry; it matches the entry for " + term + "."), term + ".");
    }

    private static String partOfSpeech(char pos) {
        return switch (pos) {
            case 'n' -> "noun";
            case 'v' -> "verb";
            case 'r' -> "adverb";
            default -> "adjective";
        };
    }
}
