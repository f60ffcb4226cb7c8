package org.millrace.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a document is; written in JSON in lower case ({@code "web"}, {@code "code"}...). */
public enum DocumentKind {
    WEB, TEXTBOOK, CODE, SYNTHETIC;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DocumentKind parse(String value) {
        if (value != null) {
            for (DocumentKind k : values()) {
                if (k.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("kind must be one of "
                + Arrays.stream(values()).map(DocumentKind::wireName).collect(Collectors.joining(", "))
                + " (got " + value + ")");
    }
}
