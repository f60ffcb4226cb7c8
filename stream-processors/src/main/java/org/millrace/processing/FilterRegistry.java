package org.millrace.processing;

import java.util.List;
import org.millrace.processing.decontamination.DecontaminationFilter;

/** Builds the configured pipeline of filters by name. */
public final class FilterRegistry {
    /** Names a pipeline may use. */
    public static final List<String> NAMES = List.of("size", DecontaminationFilter.NAME);

    private FilterRegistry() {
    }

    public static List<DocumentFilter> build(CurationSettings settings) {
        return settings.pipeline().stream().map(name -> create(name, settings)).toList();
    }

    private static DocumentFilter create(String name, CurationSettings s) {
        return switch (name) {
            case "size" -> new SizeFilter(s.minDocChars(), s.maxDocBytes());
            case DecontaminationFilter.NAME -> DecontaminationFilter.fromConfig(s.config());
            default -> throw new IllegalArgumentException("unknown filter '" + name + "', known: " + NAMES);
        };
    }
}
