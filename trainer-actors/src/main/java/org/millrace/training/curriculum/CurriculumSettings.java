package org.millrace.training.curriculum;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.millrace.common.Settings;

/**
 * The {@code millrace.curriculum} block: the phases (from a preset or written out), what a step does when
 * its bucket runs dry, and whether mixtures arriving on {@code millrace.curriculum} are applied.
 *
 * @param preset      name of the preset the phases came from, or {@code phases} when written out
 * @param phases      in order; only the last may be open-ended
 * @param onDry       dry-bucket policy
 * @param liveUpdates whether the trainer reads new mixtures from the curriculum topic
 */
public record CurriculumSettings(String preset, List<CurriculumPhase> phases, DryPolicy onDry, boolean liveUpdates) {
    private static final String P = "millrace.curriculum.";
    /** The preset that weighs every configured bucket equally, built from the bucket list. */
    public static final String UNIFORM = "uniform";

    public CurriculumSettings {
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException(P + "phases: a curriculum needs at least one phase");
        }
        for (int i = 0; i < phases.size() - 1; i++) {
            if (phases.get(i).openEnded()) {
                throw new IllegalArgumentException(P + "phases: phase " + phases.get(i).name()
                        + " has tokens = 0 (open-ended) but is not the last phase");
            }
        }
    }

    /** One open-ended phase over {@code buckets}, equally weighted. */
    public static CurriculumSettings uniform(List<String> buckets, DryPolicy onDry) {
        Map<String, Double> w = new LinkedHashMap<>();
        buckets.forEach(b -> w.put(b, 1.0));
        return new CurriculumSettings(UNIFORM, List.of(new CurriculumPhase(UNIFORM, 0, w)), onDry, true);
    }

    /**
     * Reads {@code millrace.curriculum}; every bucket a phase names must be one of {@code buckets}.
     *
     * @param c       the root configuration
     * @param buckets {@code millrace.topics.buckets}
     */
    public static CurriculumSettings fromConfig(Config c, List<String> buckets) {
        String onDryName = Settings.oneOf(c, P + "on-dry", List.of("wait", "skip", "reweight", "repeat"));
        DryPolicy onDry = DryPolicy.valueOf(onDryName.toUpperCase(Locale.ROOT));
        boolean live = c.getBoolean(P + "live-updates");
        String preset = c.getString(P + "preset");
        List<CurriculumPhase> phases;
        String origin;
        if (c.hasPath(P + "phases")) {
            origin = P + "phases";
            preset = "phases";
            phases = parsePhases(c.getList(origin), origin);
        } else if (preset.equals(UNIFORM)) {
            return new CurriculumSettings(UNIFORM, uniform(buckets, onDry).phases(), onDry, live);
        } else {
            origin = P + "presets." + preset;
            if (!c.hasPath(origin)) {
                List<String> known = new ArrayList<>(List.of(UNIFORM));
                known.addAll(c.getObject(P + "presets").keySet());
                throw Settings.invalid(c, P + "preset", "\"" + preset + "\"", "no such preset; known: " + known);
            }
            phases = parsePhases(c.getList(origin), origin);
        }
        try {
            for (CurriculumPhase phase : phases) {
                Mixtures.knownBuckets(phase.weights(), buckets, origin + " phase " + phase.name());
            }
            return new CurriculumSettings(preset, phases, onDry, live);
        } catch (IllegalArgumentException e) {
            throw new Settings.SettingsException(e.getMessage(), e);
        }
    }

    private static List<CurriculumPhase> parsePhases(List<? extends ConfigValue> list, String key) {
        List<CurriculumPhase> phases = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof ConfigObject o)) {
                throw new Settings.SettingsException(key + "[" + i + "] must be an object {name, tokens, weights}");
            }
            Config phase = o.toConfig();
            try {
                Map<String, Double> weights = new LinkedHashMap<>();
                Config w = phase.getConfig("weights");
                for (String bucket : w.root().keySet()) {
                    weights.put(bucket, w.getDouble(ConfigUtil.joinPath(bucket)));
                }
                phases.add(new CurriculumPhase(phase.getString("name"), phase.getLong("tokens"), weights));
            } catch (ConfigException | IllegalArgumentException e) {
                throw new Settings.SettingsException(key + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        return phases;
    }

    /** The phases as a one-line description, for logs and the terminal. */
    public String describe() {
        StringBuilder sb = new StringBuilder(preset).append(": ");
        for (int i = 0; i < phases.size(); i++) {
            CurriculumPhase p = phases.get(i);
            sb.append(i == 0 ? "" : " → ").append(p.name()).append(' ').append(p.weights())
                    .append(p.openEnded() ? " (open-ended)" : " for " + p.tokens() + " tokens");
        }
        return sb.append(", on-dry ").append(onDry.name().toLowerCase(Locale.ROOT)).toString();
    }
}
