package org.millrace.processing;

import java.util.List;

/** Builds the configured pipeline of filters by name. */
public final class FilterRegistry {
    /** Names a pipeline may use. */
    public static final List<String> NAMES = List.of("size");

    private FilterRegistry() {
    }

    public static List<DocumentFilter> build(CurationSettings settings) {
        return settings.pipeline().stream().map(name -> create(name, settings)).toList();
    }

    private static DocumentFilter create(String name, CurationSettings s) {
        return switch (name) {
            case "size" -> new SizeFilter(s.minDocChars(), s.maxDocBytes());
            default -> throw new IllegalArgumentException("unknown filter '" + name + "', known: " + NAMES);
        };
    }
}
