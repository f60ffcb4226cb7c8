package org.millrace.common.evalsets;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the items of an evaluation task are scored (the three request types of lm-evaluation-harness). */
public enum EvalTaskType {
    /** Bits per byte of held-out text: items carry {@code text}. */
    BITS_PER_BYTE,
    /** Log-likelihood of each choice after the context; metrics {@code acc} and {@code acc_norm}. */
    MULTIPLE_CHOICE,
    /** Greedy generation after the context, compared with {@code answer} up to the end of the line. */
    EXACT_MATCH;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EvalTaskType parse(String value) {
        for (EvalTaskType t : values()) {
            if (t.wireName().equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("task type must be one of "
                + Arrays.stream(values()).map(EvalTaskType::wireName).collect(Collectors.joining(", ")) + " (got " + value + ")");
    }
}
