package org.millrace.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a {@code millrace node} with DiLoCo prints (DilocoComponent), read back by {@link ClusterTest}. */
final class DilocoLog {
    private static final Pattern ROUND = Pattern.compile("diloco round (\\d+) completed by \\[([^]]*)]");

    private DilocoLog() {
    }

    /** A round the coordinator completed, and the workers whose deltas it averaged. */
    record Round(long round, List<String> contributors) {
    }

    /** The rounds completed, in order, as the coordinator's node printed them. */
    static List<Round> rounds(String output) {
        List<Round> out = new ArrayList<>();
        Matcher m = ROUND.matcher(output);
        while (m.find()) {
            out.add(new Round(Long.parseLong(m.group(1)), List.of(m.group(2).split(",\\s*"))));
        }
        return out;
    }

    /** The actor path printed after {@code what} (e.g. "diloco worker at "), or null if the node has not printed it. */
    static String pathAfter(String output, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what) + "(\\S+)").matcher(output);
        return m.find() ? m.group(1) : null;
    }

    /** Whether an Artery destination pattern covers a path: {@code *} stands for one whole path element. */
    static boolean matches(String pattern, String path) {
        String[] p = pattern.split("/");
        String[] a = path.split("/");
        if (p.length != a.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!p[i].equals("*") && !p[i].equals(a[i])) {
                return false;
            }
        }
        return true;
    }
}
