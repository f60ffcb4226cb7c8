package org.millrace.common.evalsets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation task of the registry.
 *
 * @param name        task name, as in results ({@code bpb_prose}, {@code quiz} ...)
 * @param type        how it is scored
 * @param version     version of the task's construction; bumped whenever the items would change
 * @param file        its JSONL file: relative to the registry directory for built tasks, as configured for
 *                    user tasks
 * @param items       number of items
 * @param sha256      SHA-256 of the file as written (built tasks; null for user tasks)
 * @param description what the task measures and how it was made
 * @param sources     corpus sources (or files) its items come from
 * @param origin      {@code built} (made from the corpus by the evaluator) or {@code user} (configured)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalTaskDefinition(String name, EvalTaskType type, int version, String file, long items, String sha256,
                                 String description, List<String> sources, String origin) {
    public static final String BUILT = "built";
    public static final String USER = "user";

    public EvalTaskDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(file, "file");
        sources = sources == null ? List.of() : List.copyOf(sources);
        origin = origin == null ? BUILT : origin;
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("task name '" + name + "' may hold only letters, digits, '_', '.' and '-'");
        }
    }
}
