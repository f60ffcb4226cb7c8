package org.millrace.producers.synth;

import com.typesafe.config.Config;
import org.millrace.common.Settings;

/**
 * Settings of {@code millrace synth} ({@code millrace.synth} in {@code reference.conf}).
 *
 * @param mode    programmatic (offline, computed answers) or teacher (an OpenAI-compatible endpoint)
 * @param count   documents to generate
 * @param seed    seed of the generator: the same seed gives the same documents (programmatic) or prompts (teacher)
 * @param teacher the endpoint and limits of teacher mode
 */
public record SynthSettings(Mode mode, long count, long seed, TeacherSettings teacher) {
    public static final String MODE = "millrace.synth.mode";

    /** The two generators. */
    public enum Mode {
        PROGRAMMATIC, TEACHER;

        public static Mode parse(String value, String setting) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException(setting + " = " + value + " is invalid: must be programmatic or teacher");
        }
    }

    public SynthSettings {
        if (count < 1) {
            throw new IllegalArgumentException("millrace.synth.count = " + count + " is invalid: must be >= 1");
        }
    }

    public static SynthSettings fromConfig(Config config) {
        Mode mode = Mode.parse(Settings.oneOf(config, MODE, java.util.List.of("programmatic", "teacher")), MODE);
        long count = config.getLong("millrace.synth.count");
        if (count < 1) {
            throw Settings.invalid(config, "millrace.synth.count", count, "must be >= 1");
        }
        return new SynthSettings(mode, count, config.getLong("millrace.synth.seed"), TeacherSettings.fromConfig(config));
    }
}
