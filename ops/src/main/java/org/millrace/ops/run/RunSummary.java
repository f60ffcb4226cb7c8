package org.millrace.ops.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What {@code millrace run --summary-json} writes: figures measured in the run and read back from Kafka.
 *
 * @param steps     optimizer steps of the run's lineage at the end
 * @param tokens    training tokens of the lineage
 * @param finalLoss training loss of the last step
 * @param docs      documents ingested (on the document topics), kept (curated) and rejected
 * @param eval      evaluation results of the run, as on {@code millrace.eval.results}
 * @param filters   per-filter funnel counts
 * @param classifier the educational-value model curation used (null when the pipeline has none)
 */
public record RunSummary(long steps, long tokens, @JsonProperty("final_loss") double finalLoss, Docs docs,
                         List<Eval> eval, Map<String, Funnel> filters, Classifier classifier) {

    public record Docs(long ingested, long kept, long rejected) {
    }

    public record Eval(String task, String metric, double value, long step) {
    }

    public record Funnel(long kept, long dropped, long modified) {
    }

    /** The classifier model (its version directory) and its held-out F1. */
    public record Classifier(String model, double f1) {
    }
}
