package org.millrace.common.evalsets;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One line of a task's JSONL file. Which fields are set depends on the task type:
 * {@code bits_per_byte} items hold {@code text}; {@code multiple_choice} items hold {@code context},
 * {@code choices} and {@code gold} (lm-evaluation-harness style: choices start with a space);
 * {@code exact_match} items hold {@code context} and {@code answer}. Built items also record where
 * they came from ({@code source}, {@code doc_id}) and, for question items, the passage they were made
 * of ({@code text}), which is what decontamination compares training documents with.
 *
 * @param id      item id, unique within its task
 * @param source  corpus source or file the item was made from
 * @param docId   id of the document it was made from, when it was made from a corpus document
 * @param text    held-out text (bits per byte) or the passage a question was made of
 * @param context prompt of a multiple-choice or exact-match item
 * @param choices the choices of a multiple-choice item
 * @param gold    index of the right choice
 * @param answer  expected first line of the continuation of an exact-match item
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalItem(String id, String source, @JsonProperty("doc_id") String docId, String text, String context,
                       List<String> choices, Integer gold, String answer) {

    public EvalItem {
        choices = choices == null ? null : List.copyOf(choices);
    }

    public static EvalItem text(String id, String source, String docId, String text) {
        return new EvalItem(id, source, docId, text, null, null, null, null);
    }

    public static EvalItem choice(String id, String source, String docId, String passage, String context,
                                  List<String> choices, int gold) {
        return new EvalItem(id, source, docId, passage, context, choices, gold, null);
    }

    public static EvalItem exact(String id, String source, String docId, String passage, String context, String answer) {
        return new EvalItem(id, source, docId, passage, context, null, null, answer);
    }

    /**
     * The text decontamination indexes: the held-out text or source passage when there is one, else
     * what the model is shown and asked for (context and right answer).
     */
    @JsonIgnore
    public String contaminationText() {
        if (text != null) {
            return text;
        }
        if (choices != null && gold != null) {
            return context + " " + choices.get(gold);
        }
        return context + " " + (answer == null ? "" : answer);
    }

    /**
     * Checks that the fields a task of {@code type} needs are present and consistent.
     *
     * @return null when valid, else what is wrong
     */
    public String problem(EvalTaskType type) {
        if (id == null || id.isBlank()) {
            return "item has no \"id\"";
        }
        switch (type) {
            case BITS_PER_BYTE:
                return text == null || text.isEmpty() ? "a bits_per_byte item needs a non-empty \"text\"" : null;
            case MULTIPLE_CHOICE:
                if (context == null) {
                    return "a multiple_choice item needs a \"context\"";
                }
                if (choices == null || choices.size() < 2) {
                    return "a multiple_choice item needs at least two \"choices\"";
                }
                if (choices.stream().anyMatch(c -> c == null || c.isEmpty())) {
                    return "a multiple_choice item has an empty choice";
                }
                if (gold == null || gold < 0 || gold >= choices.size()) {
                    return "\"gold\" must index \"choices\" (0.." + (choices.size() - 1) + "), got " + gold;
                }
                return null;
            case EXACT_MATCH:
                if (context == null || context.isEmpty()) {
                    return "an exact_match item needs a non-empty \"context\"";
                }
                return answer == null ? "an exact_match item needs an \"answer\"" : null;
            default:
                throw new IllegalStateException("unknown task type " + type);
        }
    }
}
