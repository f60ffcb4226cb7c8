package org.millrace.ops.experiment;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.millrace.common.Settings;
import org.millrace.training.model.GptConfig;

/**
 * The {@code millrace.experiment} block with the command line's overrides applied.
 *
 * @param tokens             training tokens per arm and seed
 * @param preset             model preset of every arm
 * @param seeds              seeds per arm
 * @param firstSeed          seed of the first repetition
 * @param evaluations        checkpoints evaluated per arm
 * @param syntheticDocuments synthetic documents of the synthetic arms
 * @param phase1Share        share of the budget in phi-3's first phase
 * @param rawPipeline        curation filters of the raw arm
 * @param syntheticExemptFrom filters that do not judge synthetic documents in the filtered arms
 * @param arms               arms to run, in order
 * @param out                directory of results.md, results.json, plots and the arms' data
 */
public record ExperimentSettings(long tokens, String preset, int seeds, long firstSeed, int evaluations, long syntheticDocuments,
                                 double phase1Share, List<String> rawPipeline, List<String> syntheticExemptFrom, List<Arm> arms,
                                 Path out) {
    private static final String P = "millrace.experiment.";

    public ExperimentSettings {
        arms = List.copyOf(arms);
        rawPipeline = List.copyOf(rawPipeline);
        syntheticExemptFrom = List.copyOf(syntheticExemptFrom);
        if (tokens < 1) {
            throw new IllegalArgumentException("--tokens (" + P + "tokens) must be >= 1 (got " + tokens + ")");
        }
        if (!GptConfig.PRESETS.contains(preset)) {
            throw new IllegalArgumentException("--preset (" + P + "preset) must be one of " + GptConfig.PRESETS + " (got " + preset + ")");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds (" + P + "seeds) must be >= 1 (got " + seeds + ")");
        }
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("--arms must name at least one arm");
        }
    }

    /**
     * @param tokens  --tokens, or null for the setting
     * @param preset  --preset, or null
     * @param seeds   --seeds, or null
     * @param out     --out
     */
    public static ExperimentSettings fromConfig(Config c, Long tokens, String preset, Integer seeds, List<Arm> arms, Path out) {
        long t = tokens != null ? tokens : c.getLong(P + "tokens");
        return new ExperimentSettings(t, preset != null ? preset : c.getString(P + "preset"),
                seeds != null ? seeds : Settings.positiveInt(c, P + "seeds"), c.getLong(P + "first-seed"),
                Settings.intInRange(c, P + "evaluations", 1, 1000), c.getLong(P + "synthetic-documents"),
                Settings.doubleInRange(c, P + "phase1-share", 0, 1), c.getStringList(P + "raw-pipeline"),
                c.getStringList(P + "synthetic-exempt-from"), arms, out.toAbsolutePath().normalize());
    }

    /** The seed of repetition {@code k} (0-based). */
    public long seed(int k) {
        return firstSeed + k;
    }
}
