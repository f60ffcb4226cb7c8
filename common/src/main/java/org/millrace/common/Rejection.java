package org.millrace.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A dead-letter and audit record on {@code millrace.docs.rejected}: which filter dropped which document, why.
 *
 * @param id     document id, or {@code topic/partition/offset} when the record could not be parsed
 * @param source document source, or {@code "unknown"}
 * @param filter the filter that decided
 * @param reason a reason a person can act on
 * @param score  the filter's score where it has one, else NaN (written as null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rejection(String id, String source, String filter, String reason, Double score) {
}
