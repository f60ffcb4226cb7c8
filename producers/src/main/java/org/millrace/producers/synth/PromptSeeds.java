package org.millrace.producers.synth;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.millrace.producers.synth.internal.CorpusTopics;

/**
 * Prompts for teacher mode, diverse the way phi-1.5 and Cosmopedia make them: each is a seed of topic ×
 * audience × style × task type, with topics drawn from the real corpus (headings and titles of its
 * manuals, modules and classes of its code). Prompt {@code i} of a seed is the same on every run.
 *
 * @param topics      topics to write about
 * @param topicSource where the topics came from ({@code corpus} or {@code built-in})
 */
public record PromptSeeds(List<String> topics, String topicSource) {
    public static final List<String> AUDIENCES = List.of("a curious ten-year-old", "a high-school student",
            "a first-year university student", "a professional programmer new to the subject", "an adult returning to study",
            "a reader whose first language is not English", "a teacher preparing a lesson", "a self-taught hobbyist");
    public static final List<String> STYLES = List.of("a textbook section with definitions and a worked example",
            "a dialogue between a teacher and a student", "a step-by-step tutorial", "lecture notes with short paragraphs",
            "a short story that explains the idea along the way", "a question-and-answer sheet",
            "an encyclopedia-style article", "a set of exercises, each followed by a worked solution");
    public static final List<String> TASKS = List.of("explain the central idea from first principles",
            "work through a concrete example in full", "write three exercises of rising difficulty with solutions",
            "compare it with a closely related idea and say when to use each", "correct a common misconception about it",
            "show a real-world application", "summarise it and then test understanding with questions");
    static final List<String> BUILT_IN_TOPICS = List.of("fractions", "prime numbers", "the water cycle", "photosynthesis",
            "binary search", "recursion", "hash tables", "sorting algorithms", "probability", "percentages",
            "the Pythagorean theorem", "linear equations", "regular expressions", "unit testing", "SQL joins",
            "database indexes", "version control", "the scientific method", "supply and demand", "plate tectonics",
            "electric circuits", "the French Revolution", "map projections", "compound interest", "text encodings",
            "functions in Python", "loops and iteration", "immutable data", "queues and stacks", "graph traversal");

    public PromptSeeds {
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("prompt seeds need at least one topic");
        }
    }

    /** Topics from the corpus when it holds manuals or code, else a small built-in list. */
    public static PromptSeeds fromCorpus(Path corpusDir) {
        List<String> fromCorpus = CorpusTopics.load(corpusDir);
        return fromCorpus.isEmpty() ? new PromptSeeds(BUILT_IN_TOPICS, "built-in") : new PromptSeeds(fromCorpus, "corpus");
    }

    /**
     * One seed and its prompt.
     *
     * @param system the system message
     * @param user   the user message (recorded as the document's prompt)
     */
    public record Prompt(String topic, String audience, String style, String task, String system, String user) {
    }

    public Prompt prompt(long seed, long index) {
        SplittableRandom r = new SplittableRandom(ProgrammaticSynth.mix(seed ^ 0x7EAC4E5L, index));
        String topic = topics.get(r.nextInt(topics.size()));
        String audience = AUDIENCES.get(r.nextInt(AUDIENCES.size()));
        String style = STYLES.get(r.nextInt(STYLES.size()));
        String task = TASKS.get(r.nextInt(TASKS.size()));
        String system = "You are an expert teacher who writes clear, correct and self-contained educational material. "
                + "Write only the material itself, in plain prose and Markdown, with no preamble.";
        String user = "Write " + style + " about " + topic + " for " + audience + ". In it, " + task
                + ". Every fact and every computed result must be correct; where there is code, it must run.";
        return new Prompt(topic, audience, style, task, system, user);
    }
}
