package org.millrace.common.evalsets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code registry.json}: what was built, from what, how.
 *
 * @param formatVersion version of the registry's file layout
 * @param setsVersion   version of the construction as a whole (its code and settings)
 * @param seed          seed of every sampling step
 * @param builtAt       when (ISO-8601)
 * @param corpus        corpus source name → package version the sets were built from
 * @param settings      the construction settings in force
 * @param tasks         the built tasks
 * @param heldOutFile   JSONL of {@link HeldOutDocument}s, relative to the registry directory
 * @param allowListFile the 13-grams common in training text, one normalised phrase a line (or null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalSetManifest(@JsonProperty("format_version") int formatVersion, @JsonProperty("sets_version") int setsVersion,
                              long seed, @JsonProperty("built_at") String builtAt, Map<String, String> corpus,
                              Map<String, Object> settings, List<EvalTaskDefinition> tasks,
                              @JsonProperty("held_out_file") String heldOutFile,
                              @JsonProperty("allow_list_file") String allowListFile) {
    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "registry.json";

    public EvalSetManifest {
        // sorted, so that the same build writes the same bytes
        corpus = corpus == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(corpus));
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }
}
