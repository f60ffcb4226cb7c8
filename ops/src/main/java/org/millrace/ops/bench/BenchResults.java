package org.millrace.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millrace.common.Json;

/**
 * The results file of {@code millrace bench --json FILE}: the machine's description, how long each suite
 * took, and every figure.
 *
 * @param machine      {@link MachineInfo#describe()} at the time of the run
 * @param note         a free-text remark (e.g. how loaded the machine was), or null
 * @param suites       seconds each suite took (and the error of a suite that failed), in run order
 *                     (empty in files of older runs)
 * @param totalSeconds wall time of the whole run, or null in files of older runs
 * @param figures      the figures in run order
 */
public record BenchResults(Map<String, Object> machine, String note, List<SuiteTime> suites, Double totalSeconds,
                           List<Figure> figures) {
    public BenchResults {
        machine = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(machine));
        suites = List.copyOf(suites);
        figures = List.copyOf(figures);
    }

    /** How long one suite took, and why it failed (null when it did not). */
    public record SuiteTime(String prefix, double seconds, String error) {
        public SuiteTime(String prefix, double seconds) {
            this(prefix, seconds, null);
        }
    }

    /** The JSON shape of the file (snake_case field names; machine first). */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", machine);
        if (note != null) {
            out.put("note", note);
        }
        if (totalSeconds != null) {
            out.put("total_seconds", totalSeconds);
        }
        out.put("suites", suites.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prefix", s.prefix());
            m.put("seconds", s.seconds());
            if (s.error() != null) {
                m.put("error", s.error());
            }
            return m;
        }).toList());
        out.put("figures", figures.stream().map(BenchResults::figureJson).toList());
        return out;
    }

    static Map<String, Object> figureJson(Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("value", f.value());
        m.put("unit", f.unit());
        m.put("goal", f.goal());
        m.put("higher_is_better", f.higherIsBetter());
        return m;
    }

    /** Reads a results file; errors name the file and the field that was wrong. */
    public static BenchResults read(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read benchmark results " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.path("figures").isArray() || !root.path("machine").isObject()) {
            throw new IllegalArgumentException(file + " is not a benchmark results file: it needs a \"machine\" object and a \"figures\" array");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = Json.MAPPER.convertValue(root.get("machine"), LinkedHashMap.class);
        List<SuiteTime> suites = new ArrayList<>();
        for (JsonNode s : root.path("suites")) {
            suites.add(new SuiteTime(s.path("prefix").asText(), s.path("seconds").asDouble(),
                    s.path("error").isTextual() ? s.get("error").asText() : null));
        }
        List<Figure> figures = new ArrayList<>();
        int i = 0;
        for (JsonNode f : root.get("figures")) {
            if (!f.path("name").isTextual() || !f.path("value").isNumber() || !f.path("unit").isTextual()) {
                throw new IllegalArgumentException(file + ": figure " + i + " needs a text \"name\", a number \"value\" and a text \"unit\"; got " + f);
            }
            JsonNode goal = f.path("goal");
            figures.add(new Figure(f.get("name").asText(), f.get("value").asDouble(), f.get("unit").asText(),
                    goal.isNumber() ? goal.asDouble() : null, f.path("higher_is_better").asBoolean(true)));
            i++;
        }
        JsonNode total = root.path("total_seconds");
        return new BenchResults(machine, root.path("note").isTextual() ? root.get("note").asText() : null, suites,
                total.isNumber() ? total.asDouble() : null, figures);
    }

    /** Writes the file (parents created). */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
    }
}
