package org.millrace.producers.corpus;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;
import org.millrace.common.DocumentKind;

/** What a corpus source is for: a curriculum bucket of training data, or evaluation only. */
public enum CorpusRole {
    WEB(DocumentKind.WEB),
    TEXTBOOK(DocumentKind.TEXTBOOK),
    CODE(DocumentKind.CODE),
    /** Held out for the evaluator: never ingested for training. */
    EVAL(null);

    private final DocumentKind kind;

    CorpusRole(DocumentKind kind) {
        this.kind = kind;
    }

    /** The kind of this role's documents; empty for {@link #EVAL}, which is never ingested. */
    public Optional<DocumentKind> documentKind() {
        return Optional.ofNullable(kind);
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static CorpusRole parse(String value) {
        for (CorpusRole r : values()) {
            if (r.wireName().equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of web, textbook, code, eval (got " + value + ")");
    }
}
