package org.millrace.processing.decontamination;

import com.typesafe.config.Config;
import java.util.Locale;
import org.millrace.common.Document;
import org.millrace.common.Verdict;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.processing.DocumentFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark decontamination as phi-4 does it: a document sharing any 13-gram (normalised words) with an
 * evaluation item is contaminated, unless that 13-gram is on the allow-list of text common in the
 * training corpus; otherwise the largest share of one item's 7-grams found in the document decides,
 * against a "partial" and a "contaminated" threshold. Reads the evaluation sets from the same registry
 * the evaluator scores ({@link EvalSetRegistry}), and counts hits per benchmark.
 */
public final class DecontaminationFilter implements DocumentFilter {
    public static final String NAME = "decontaminate";
    private static final Logger LOG = LoggerFactory.getLogger(DecontaminationFilter.class);

    private final ContaminationIndex index;
    private final DecontaminationSettings settings;
    private final DecontaminationMetrics metrics = DecontaminationMetrics.INSTANCE;

    public DecontaminationFilter(ContaminationIndex index, DecontaminationSettings settings) {
        this.index = index;
        this.settings = settings;
    }

    /** The filter over the registry that {@code config} names. */
    public static DecontaminationFilter fromConfig(Config config) {
        DecontaminationSettings settings = DecontaminationSettings.fromConfig(config);
        EvalSetRegistry registry = EvalSetRegistry.open(config);
        if (registry.tasks().isEmpty()) {
            String message = "no evaluation sets under " + registry.dir() + " and no " + EvalSetRegistry.USER_TASKS
                    + " (build them with 'millrace eval sets')";
            if (settings.requireSets()) {
                throw new IllegalStateException(DecontaminationSettings.PREFIX + "require-sets is true but there are " + message);
            }
            LOG.warn("decontaminate: {}; no document is checked", message);
        }
        long t0 = System.nanoTime();
        ContaminationIndex index = ContaminationIndex.build(registry, settings);
        LOG.info("decontaminate: {} items of {} tasks indexed ({} {}-grams, {} {}-grams; {} items too short for {}-grams) in {} ms",
                index.items(), index.tasks().size(), index.longNgrams(), settings.longNgram(), index.shortNgrams(),
                settings.shortNgram(), index.itemsTooShort(), settings.shortNgram(), (System.nanoTime() - t0) / 1_000_000);
        return new DecontaminationFilter(index, settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        ContaminationIndex.Match m = index.check(document.text());
        switch (m.level()) {
            case CONTAMINATED:
                metrics.documents.labelValues(m.task(), "contaminated").inc();
                return new Verdict.Drop("contaminated", describe(m), m.ratio());
            case PARTIAL:
                metrics.documents.labelValues(m.task(), "partial").inc();
                if (settings.dropPartial()) {
                    return new Verdict.Drop("partially_contaminated", describe(m), m.ratio());
                }
                return new Verdict.Keep(document, false, m.ratio());
            default:
                return Verdict.keep(document);
        }
    }

    private String describe(ContaminationIndex.Match m) {
        if (m.evidence() != null) {
            return "shares the " + settings.longNgram() + "-gram \"" + m.evidence() + "\" with evaluation task " + m.task();
        }
        return String.format(Locale.ROOT, "holds %.0f%% of the %d-grams of item %s of evaluation task %s",
                100 * m.ratio(), settings.shortNgram(), m.itemId(), m.task());
    }
}
