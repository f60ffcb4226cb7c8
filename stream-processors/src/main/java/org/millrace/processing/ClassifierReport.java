package org.millrace.processing;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * How a trained classifier did on its held-out split (documents never seen in training), written as
 * {@code report.json} next to the model.
 *
 * @param model            model version ({@code v1}, {@code v2}...)
 * @param precision        of the positive class at {@code threshold}
 * @param recall           of the positive class at {@code threshold}
 * @param f1               harmonic mean of precision and recall
 * @param rocAuc           area under the ROC curve (threshold-free)
 * @param threshold        score from which a held-out example counts as positive
 * @param trainExamples    training examples (text chunks)
 * @param heldOutExamples  held-out examples
 * @param heldOutGroups    source documents in the held-out split
 * @param examplesBySource examples per source and label, e.g. {@code "python-doc-rst+": 2500}
 * @param epochs           passes over the training examples
 * @param trainSeconds     wall time of training
 * @param createdAt        ISO-8601 time the model was written
 */
public record ClassifierReport(String model, double precision, double recall, double f1,
                               @JsonProperty("roc_auc") double rocAuc, double threshold,
                               @JsonProperty("train_examples") int trainExamples,
                               @JsonProperty("held_out_examples") int heldOutExamples,
                               @JsonProperty("held_out_groups") int heldOutGroups,
                               @JsonProperty("examples_by_source") Map<String, Integer> examplesBySource,
                               int epochs, @JsonProperty("train_seconds") double trainSeconds,
                               @JsonProperty("created_at") String createdAt) {
}
