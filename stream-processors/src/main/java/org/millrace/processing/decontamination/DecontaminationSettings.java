package org.millrace.processing.decontamination;

import com.typesafe.config.Config;
import java.util.List;
import org.millrace.common.Settings;

/**
 * The {@code millrace.curation.decontaminate} block.
 *
 * @param longNgram             words per n-gram of the exact test (phi-4: 13)
 * @param shortNgram            words per n-gram of the overlap ratio (phi-4: 7)
 * @param partialThreshold      overlap ratio from which a document counts as partially contaminated
 * @param contaminatedThreshold overlap ratio from which it counts as contaminated
 * @param dropPartial           whether partially contaminated documents are dropped too (else kept and counted)
 * @param allowList             extra phrases whose long n-grams are allowed (common text)
 * @param useBuiltAllowList     whether the allow-list built with the sets (frequent training 13-grams) applies
 * @param tasks                 tasks to check against; empty means every task of the registry
 * @param requireSets           whether a missing registry is an error (else nothing is dropped, with a warning)
 */
public record DecontaminationSettings(int longNgram, int shortNgram, double partialThreshold, double contaminatedThreshold,
                                      boolean dropPartial, List<String> allowList, boolean useBuiltAllowList,
                                      List<String> tasks, boolean requireSets) {
    public static final String PREFIX = "millrace.curation.decontaminate.";

    public DecontaminationSettings {
        allowList = List.copyOf(allowList);
        tasks = List.copyOf(tasks);
    }

    public static DecontaminationSettings fromConfig(Config c) {
        int longN = Settings.intInRange(c, PREFIX + "long-ngram", 2, 64);
        int shortN = Settings.intInRange(c, PREFIX + "short-ngram", 1, 64);
        if (shortN > longN) {
            throw Settings.invalid(c, PREFIX + "short-ngram", shortN, "must not exceed " + PREFIX + "long-ngram " + longN);
        }
        double partial = Settings.doubleInRange(c, PREFIX + "partial-threshold", 0, 1);
        double contaminated = Settings.doubleInRange(c, PREFIX + "contaminated-threshold", 0, 1);
        if (partial > contaminated) {
            throw Settings.invalid(c, PREFIX + "partial-threshold", partial,
                    "must not exceed " + PREFIX + "contaminated-threshold " + contaminated);
        }
        String action = Settings.oneOf(c, PREFIX + "partial-action", List.of("keep", "drop"));
        return new DecontaminationSettings(longN, shortN, partial, contaminated, action.equals("drop"),
                c.getStringList(PREFIX + "allow-list"), c.getBoolean(PREFIX + "use-built-allow-list"),
                c.getStringList(PREFIX + "tasks"), c.getBoolean(PREFIX + "require-sets"));
    }
}
