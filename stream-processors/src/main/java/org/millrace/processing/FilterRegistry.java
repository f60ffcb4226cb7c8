package org.millrace.processing;

import java.util.ArrayList;
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
            DecontaminationFilter.NAME, DedupFilter.NAME, EduClassifierFilter.NAME);

    private FilterRegistry() {
    }

    /**
     * The filters of {@code millrace.curation.pipeline}, in order. Filters with state open it here
     * (the dedup store under the data directory, the classifier model); close the ones that are
     * {@link AutoCloseable} when done.
     */
    public static List<DocumentFilter> build(CurationSettings settings) {
        return build(settings, java.util.Map.of());
    }

    /** As {@link #build(CurationSettings)}, with the filters of {@code replacements} in place of the named ones. */
    public static List<DocumentFilter> build(CurationSettings settings,
                                             java.util.Map<String, java.util.function.Supplier<? extends DocumentFilter>> replacements) {
        List<DocumentFilter> filters = new ArrayList<>();
        try {
            for (String name : settings.pipeline()) {
                var replacement = replacements.get(name);
                filters.add(replacement != null ? replacement.get() : create(name, settings));
            }
        } catch (RuntimeException e) {
            closeAll(filters);
            throw e;
        }
        return List.copyOf(filters);
    }

    /** Closes every filter that holds resources; the first failure is thrown after all were tried. */
    public static void closeAll(List<DocumentFilter> filters) {
        RuntimeException failure = null;
        for (DocumentFilter f : filters) {
            if (f instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IllegalStateException("closing filter " + f.name() + " failed: " + e.getMessage(), e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
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
            case DedupFilter.NAME -> new DedupFilter(s.dedup());
            case EduClassifierFilter.NAME -> {
                ClassifierSettings c = s.classifier();
                ClassifierModels.Version v = ClassifierModels.find(c.modelsDir(), c.version()).orElseThrow(() ->
                        new IllegalStateException("millrace.curation.pipeline has '" + EduClassifierFilter.NAME
                                + "' but millrace.classifier.version " + c.version() + " is not in " + c.modelsDir()
                                + " (train one with 'millrace classifier train')"));
                yield new EduClassifierFilter(EduClassifier.load(v.dir()), c.textbookAt(), c.dropBelow(), s.bucketOfKind());
            }
            default -> throw new IllegalArgumentException("unknown filter '" + name + "', known: " + NAMES);
        };
    }
}
