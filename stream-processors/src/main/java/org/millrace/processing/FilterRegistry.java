package org.millrace.processing;

import java.util.List;
import org.millrace.processing.decontamination.DecontaminationFilter;
import org.millrace.processing.filters.C4LinesFilter;
import org.millrace.processing.filters.CodeQualityFilter;
import org.millrace.processing.filters.GopherQualityFilter;
import org.millrace.processing.filters.GopherRepetitionFilter;
import org.millrace.processing.filters.HtmlExtractFilter;
import org.millrace.processing.filters.LanguageFilter;
import org.millrace.processing.filters.NormalizeFilter;
import org.millrace.processing.filters.PiiFilter;

/** Builds the configured pipeline of filters by name. */
public final class FilterRegistry {
    /** Names a pipeline may use. */
    public static final List<String> NAMES = List.of("size",
            HtmlExtractFilter.NAME, NormalizeFilter.NAME, LanguageFilter.NAME, GopherQualityFilter.NAME,
            GopherRepetitionFilter.NAME, C4LinesFilter.NAME, CodeQualityFilter.NAME, PiiFilter.NAME,
            DecontaminationFilter.NAME);

    private FilterRegistry() {
    }

    public static List<DocumentFilter> build(CurationSettings settings) {
        return settings.pipeline().stream().map(name -> create(name, settings)).toList();
    }

    private static DocumentFilter create(String name, CurationSettings s) {
        return switch (name) {
            case "size" -> new SizeFilter(s.minDocChars(), s.maxDocBytes());
            case DecontaminationFilter.NAME -> DecontaminationFilter.fromConfig(s.config());
            case HtmlExtractFilter.NAME -> HtmlExtractFilter.fromConfig(s.config());
            case NormalizeFilter.NAME -> NormalizeFilter.fromConfig(s.config());
            case LanguageFilter.NAME -> LanguageFilter.fromConfig(s.config());
            case GopherRepetitionFilter.NAME -> GopherRepetitionFilter.fromConfig(s.config());
            case GopherQualityFilter.NAME -> GopherQualityFilter.fromConfig(s.config());
            case C4LinesFilter.NAME -> C4LinesFilter.fromConfig(s.config());
            case CodeQualityFilter.NAME -> CodeQualityFilter.fromConfig(s.config());
            case PiiFilter.NAME -> PiiFilter.fromConfig(s.config());
            default -> throw new IllegalArgumentException("unknown filter '" + name + "', known: " + NAMES);
        };
    }
}
