package org.millrace.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The naming scheme of Millrace's Prometheus metrics (docs/metrics.md):
 * {@code millrace_<area>_<thing>[_<unit>][_total]}, after the Prometheus naming conventions — snake
 * case, base units ({@code _seconds}, {@code _bytes}, {@code _ratio}) written as the last word,
 * {@code _total} on counters and only on counters, histograms and summaries named after their unit.
 *
 * <p>The rules are the project's own (a linter of a Java registry does not exist); {@code promtool check
 * metrics} checks the generic conventions of the exposition on top of these.
 */
public final class MetricNames {
    /** The prefix of every Millrace metric. */
    public static final String PREFIX = "millrace_";

    /** The areas: the second word of every name. A new area is added here and in docs/metrics.md. */
    public static final Set<String> AREAS = Set.of(
            "ingest",     // producers: documents and bytes published
            "curation",   // stream-processors: filters, buckets, packing
            "train",      // trainer-actors: steps, loss, throughput
            "curriculum", // mixture weights
            "eval",       // evaluator: results per task
            "serving",    // OpenAI-compatible API
            "kafka",      // consumer lag and topic figures
            "memory",     // native (DJL, Arrow) memory
            "cluster",    // members and roles
            "dashboard"); // the live dashboard's own figures

    /** Units that are not base units, with the base unit to use instead. */
    private static final List<String[]> NON_BASE_UNITS = List.of(
            new String[] {"ms", "seconds"}, new String[] {"msec", "seconds"}, new String[] {"millis", "seconds"},
            new String[] {"milliseconds", "seconds"}, new String[] {"us", "seconds"}, new String[] {"micros", "seconds"},
            new String[] {"microseconds", "seconds"}, new String[] {"ns", "seconds"}, new String[] {"nanos", "seconds"},
            new String[] {"nanoseconds", "seconds"}, new String[] {"minutes", "seconds"}, new String[] {"hours", "seconds"},
            new String[] {"days", "seconds"}, new String[] {"kb", "bytes"}, new String[] {"mb", "bytes"},
            new String[] {"gb", "bytes"}, new String[] {"kib", "bytes"}, new String[] {"mib", "bytes"},
            new String[] {"gib", "bytes"}, new String[] {"kilobytes", "bytes"}, new String[] {"megabytes", "bytes"},
            new String[] {"gigabytes", "bytes"}, new String[] {"percent", "ratio"}, new String[] {"pct", "ratio"});

    /** Base units; where one is named it is the last word (before {@code _total}, or before {@code _per_second}). */
    private static final Set<String> BASE_UNITS = Set.of("seconds", "bytes", "ratio");

    /** Words that, as the last word, say a quantity is measured but not in which unit. */
    private static final Set<String> UNIT_MISSING = Set.of("time", "duration", "latency", "delay", "age", "size",
            "length", "memory", "wait", "elapsed");

    /** What a histogram or summary may be named after. */
    private static final Set<String> DISTRIBUTION_UNITS = Set.of("seconds", "bytes", "ratio", "tokens");

    /** Suffixes the exposition adds to histograms and summaries; a gauge or counter must not end in one. */
    private static final Set<String> RESERVED_SUFFIXES = Set.of("bucket", "count", "sum", "created", "info");

    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]*");

    /** The type of a metric, as in the exposition's {@code # TYPE} line. */
    public enum Type { COUNTER, GAUGE, HISTOGRAM, SUMMARY, INFO, STATESET, UNKNOWN }

    private MetricNames() {
    }

    /**
     * What is wrong with a metric's name, help and labels under the scheme; empty when nothing is.
     *
     * @param name   the name as exposed: a counter with {@code _total}, a histogram without {@code _bucket}
     * @param type   its type
     * @param help   its help text
     * @param labels its label names
     */
    public static List<String> problems(String name, Type type, String help, Collection<String> labels) {
        List<String> out = new ArrayList<>();
        if (!name.startsWith(PREFIX)) {
            out.add(name + ": does not start with " + PREFIX);
            return out;
        }
        if (!SNAKE.matcher(name).matches()) {
            out.add(name + ": not lower snake case (letters, digits, single underscores)");
            return out;
        }
        String[] words = name.substring(PREFIX.length()).split("_");
        if (!AREAS.contains(words[0])) {
            out.add(name + ": area '" + words[0] + "' is none of " + new TreeSet<>(AREAS));
        }
        boolean total = words[words.length - 1].equals("total");
        int thingWords = words.length - 1 - (total ? 1 : 0);
        if (thingWords < 1) {
            out.add(name + ": names no thing after its area");
        }
        if (type == Type.COUNTER && !total) {
            out.add(name + ": a counter's name ends with _total");
        }
        if (type != Type.COUNTER && total) {
            out.add(name + ": only counters end with _total (this is a " + type.name().toLowerCase() + ")");
        }
        int end = words.length - (total ? 1 : 0); // words[1 .. end) are thing and unit
        for (int i = 1; i < end; i++) {
            for (String[] unit : NON_BASE_UNITS) {
                if (words[i].equals(unit[0])) {
                    out.add(name + ": '" + words[i] + "' is not a base unit, use _" + unit[1]);
                }
            }
            boolean last = i == end - 1;
            boolean beforePerSecond = i == end - 3 && words[end - 2].equals("per") && words[end - 1].equals("second");
            if (BASE_UNITS.contains(words[i]) && !last && !beforePerSecond) {
                out.add(name + ": the unit '" + words[i] + "' is the last word of a name (before _total)");
            }
        }
        String lastWord = end >= 2 ? words[end - 1] : "";
        if (UNIT_MISSING.contains(lastWord)) {
            out.add(name + ": ends with '" + lastWord + "' but names no unit (e.g. _seconds, _bytes)");
        }
        if ((type == Type.GAUGE || type == Type.COUNTER) && RESERVED_SUFFIXES.contains(words[end - 1])) {
            out.add(name + ": a " + type.name().toLowerCase() + " must not end with _" + words[end - 1]
                    + " (the exposition uses it for histograms, summaries and info metrics)");
        }
        if ((type == Type.HISTOGRAM || type == Type.SUMMARY) && !DISTRIBUTION_UNITS.contains(lastWord)) {
            out.add(name + ": a " + type.name().toLowerCase() + " is named after its unit, one of "
                    + new TreeSet<>(DISTRIBUTION_UNITS));
        }
        if (help == null || help.isBlank()) {
            out.add(name + ": has no help text");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                out.add(name + ": label '" + label + "' is not lower snake case");
            }
            if ((label.equals("le") && type != Type.HISTOGRAM) || (label.equals("quantile") && type != Type.SUMMARY)) {
                out.add(name + ": label '" + label + "' is reserved for " + (label.equals("le") ? "histograms" : "summaries"));
            }
        }
        return out;
    }
}
