package org.millrace.it.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small seed corpus for a quick run: short Markdown "textbook" pages and Java sources, written from a
 * fixed seed (so the held-out split is the same every time), small enough that evaluating a
 * checkpoint takes seconds.
 */
public final class SmallCorpus {
    private static final String[] WORDS = ("the a mill wheel river water turns stone grain flour gear shaft "
            + "flow stream current energy work force speed measure counts each step model learns from data "
            + "clean text keeps good pages drops noise tokens batch train loss falls slowly over time").split(" ");

    private SmallCorpus() {
    }

    /** Writes {@code pages} Markdown pages and {@code sources} Java files under {@code root}. */
    public static Path write(Path root, int pages, int sources) throws IOException {
        Random random = new Random(42);
        Path docs = Files.createDirectories(root.resolve("docs"));
        for (int i = 0; i < pages; i++) {
            StringBuilder text = new StringBuilder("# Lesson " + i + "\n\n");
            for (int p = 0; p < 4; p++) {
                text.append(sentence(random)).append(' ').append(sentence(random)).append(' ').append(sentence(random)).append("\n\n");
            }
            Files.writeString(docs.resolve("lesson-" + i + ".md"), text);
        }
        Path java = Files.createDirectories(root.resolve("mill/src/main/java/org/example"));
        for (int i = 0; i < sources; i++) {
            String code = "package org.example;\n\n/** " + sentence(random) + " */\npublic final class Wheel" + i + " {\n"
                    + "    private int turns;\n\n    /** " + sentence(random) + " */\n    public int turn(int water) {\n"
                    + "        turns += water * " + (i + 1) + ";\n        return turns;\n    }\n}\n";
            Files.writeString(java.resolve("Wheel" + i + ".java"), code);
        }
        return root;
    }

    private static String sentence(Random random) {
        StringBuilder s = new StringBuilder();
        int n = 6 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            String w = WORDS[random.nextInt(WORDS.length)];
            s.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w).append(i == n - 1 ? "." : " ");
        }
        return s.toString();
    }
}
