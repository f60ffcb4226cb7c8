package org.millrace.evaluation.sets;

import java.util.ArrayList;
import java.util.List;
import org.millrace.common.Document;
import org.millrace.common.evalsets.EvalItem;

/**
 * Python doctest continuation from held-out documentation pages: the context is the interactive session
 * so far (at most {@value #MAX_CONTEXT_LINES} lines of the example, ending with a {@code >>> expr}
 * line), the answer the one line of output that follows it. Outputs of several lines, tracebacks,
 * object addresses and very long lines are passed over.
 */
final class DoctestItems {
    static final int MAX_CONTEXT_LINES = 8;
    private static final int MAX_ANSWER_CHARS = 80;

    private DoctestItems() {
    }

    static List<EvalItem> build(List<Document> pages, String source, EvalSetSettings s) {
        List<EvalItem> all = new ArrayList<>();
        for (Document page : pages) {
            String[] lines = page.text().split("\n", -1);
            int blockStart = -1;
            for (int i = 0; i < lines.length; i++) {
                String t = lines[i].strip();
                if (t.isEmpty()) {
                    blockStart = -1;
                    continue;
                }
                if (t.startsWith(">>>") && blockStart < 0) {
                    blockStart = i;
                }
                if (blockStart < 0 || !t.startsWith(">>> ") || i + 1 >= lines.length) {
                    continue;
                }
                int indent = indent(lines[i]);
                String out = lines[i + 1];
                String outT = out.strip();
                boolean single = i + 2 >= lines.length || lines[i + 2].isBlank() || lines[i + 2].strip().startsWith(">>>");
                if (outT.isEmpty() || outT.startsWith(">>>") || outT.startsWith("...") || !single || indent(out) != indent
                        || outT.length() > MAX_ANSWER_CHARS || outT.startsWith("Traceback") || outT.contains(" at 0x")) {
                    continue;
                }
                StringBuilder context = new StringBuilder();
                for (int k = Math.max(blockStart, i - MAX_CONTEXT_LINES + 1); k <= i; k++) {
                    context.append(dedent(lines[k], indent)).append('\n');
                }
                all.add(EvalItem.exact(page.url() + ":" + (i + 1), source, page.id(), context + outT, context.toString(), outT));
            }
        }
        return Sampling.shuffled(all, s.seed(), "doctest").subList(0, Math.min(s.doctestItems(), all.size()));
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static String dedent(String line, int n) {
        return line.length() >= n && line.substring(0, n).isBlank() ? line.substring(n) : line.strip();
    }
}
