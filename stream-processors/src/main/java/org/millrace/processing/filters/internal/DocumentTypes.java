package org.millrace.processing.filters.internal;

import java.util.Locale;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;

/** What a document's kind and {@code metadata.content_type} (set by the readers) say it is. */
public final class DocumentTypes {
    private DocumentTypes() {
    }

    public static String contentType(Document d) {
        Object type = d.metadata().get("content_type");
        return type == null ? "" : type.toString().toLowerCase(Locale.ROOT).strip();
    }

    /** Source code: the kind says so, or a reader typed it as {@code text/x-<language>} (reST aside). */
    public static boolean isCode(Document d) {
        if (d.kind() == DocumentKind.CODE) {
            return true;
        }
        String type = contentType(d);
        return type.startsWith("text/x-") && !type.equals("text/x-rst") && !type.equals("text/x-markdown");
    }
}
