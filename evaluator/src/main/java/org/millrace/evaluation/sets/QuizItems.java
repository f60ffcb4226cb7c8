package org.millrace.evaluation.sets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.millrace.common.evalsets.EvalItem;

/**
 * Closed-book quiz questions from bsdgames' quiz files. The index names each file's columns
 * ({@code state:state:cap{ital}:abbr{ev{iation}}:flower}); every line of a file gives one item per
 * answer column: "Quiz: state\nstate: Alabama\ncapital:" → " Montgomery". Distractors are answers of the
 * same column of the same topic, never one of the right answer's alternatives.
 */
final class QuizItems {
    /** Topics left out: ed commands are regular expressions, spell has two lines. */
    private static final Set<String> SKIPPED = Set.of("ed", "spell");

    private QuizItems() {
    }

    private record Line(int number, List<String> fields) {
    }

    static List<EvalItem> build(Path quizDir, String source, EvalSetSettings s) throws IOException {
        List<EvalItem> all = new ArrayList<>();
        for (String indexLine : Files.readAllLines(quizDir.resolve("index"), StandardCharsets.ISO_8859_1)) {
            List<String> cols = split(indexLine);
            if (cols.size() < 3) {
                continue;
            }
            String topic = Path.of(cols.get(0)).getFileName().toString();
            Path file = quizDir.resolve(topic);
            if (SKIPPED.contains(topic) || !Files.isRegularFile(file)) {
                continue;
            }
            List<String> labels = cols.subList(1, cols.size()).stream().map(QuizPattern::canonical).toList();
            all.addAll(topicItems(topic, labels, lines(file), source, s));
        }
        return Sampling.shuffled(all, s.seed(), "quiz").subList(0, Math.min(s.quizItems(), all.size()));
    }

    private static List<EvalItem> topicItems(String topic, List<String> labels, List<Line> lines, String source,
                                             EvalSetSettings s) {
        List<EvalItem> out = new ArrayList<>();
        Random random = Sampling.random(s.seed(), "quiz/" + topic);
        for (int col = 1; col < labels.size(); col++) {
            int c = col;
            List<String> pool = lines.stream().filter(l -> l.fields().size() > c)
                    .map(l -> QuizPattern.canonical(l.fields().get(c))).filter(a -> !a.isEmpty()).distinct().toList();
            for (Line line : lines) {
                if (line.fields().size() <= col) {
                    continue;
                }
                String question = QuizPattern.canonical(line.fields().get(0));
                List<String> rights = QuizPattern.alternatives(line.fields().get(col));
                if (question.isEmpty() || rights.isEmpty()) {
                    continue;
                }
                Set<String> right = new java.util.HashSet<>();
                rights.forEach(r -> right.add(r.toLowerCase(Locale.ROOT)));
                List<String> wrong = Sampling.distractors(pool, s.choices() - 1, random,
                        cand -> !right.contains(cand.toLowerCase(Locale.ROOT)));
                if (wrong.size() < s.choices() - 1) {
                    continue;
                }
                List<String> choices = new ArrayList<>(wrong);
                int gold = Sampling.place(choices, rights.get(0), random);
                String context = "Quiz: " + topic + "\n" + labels.get(0) + ": " + question + "\n" + labels.get(col) + ":";
                out.add(EvalItem.choice(topic + ":" + line.number() + ":" + col, source, null,
                        question + " " + rights.get(0), context, choices.stream().map(x -> " " + x).toList(), gold));
            }
        }
        return out;
    }

    /** The lines of a quiz file, continuation lines (ending in a backslash) joined. */
    private static List<Line> lines(Path file) throws IOException {
        List<Line> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int start = 0;
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            n++;
            if (pending.length() == 0) {
                start = n;
            }
            if (raw.endsWith("\\") && !raw.endsWith("\\\\")) {
                pending.append(raw, 0, raw.length() - 1);
                continue;
            }
            pending.append(raw);
            if (!pending.toString().isBlank()) {
                out.add(new Line(start, split(pending.toString())));
            }
            pending.setLength(0);
        }
        return out;
    }

    /** Fields separated by ':' (a backslash escapes one). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                f.append(c).append(line.charAt(++i));
            } else if (c == ':') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }
}
