package org.millrace.processing;

import java.nio.charset.StandardCharsets;
import org.millrace.common.Document;
import org.millrace.common.Verdict;

/** Drops empty documents and documents larger than {@code millrace.curation.max-doc-bytes}. */
public final class SizeFilter implements DocumentFilter {
    private final int minChars;
    private final long maxBytes;

    public SizeFilter(int minChars, long maxBytes) {
        this.minChars = minChars;
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "size";
    }

    @Override
    public Verdict apply(Document document) {
        String text = document.text();
        if (text.isBlank()) {
            return Verdict.drop("empty", "document has no text");
        }
        if (text.strip().length() < minChars) {
            return new Verdict.Drop("too_short", "document has " + text.strip().length() + " characters, fewer than "
                    + minChars, text.strip().length());
        }
        // A UTF-8 byte count without allocating the bytes: chars are at most 3 bytes each.
        if ((long) text.length() * 3 > maxBytes) {
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                return new Verdict.Drop("too_large", "document has " + bytes + " bytes, more than " + maxBytes, bytes);
            }
        }
        return Verdict.keep(document);
    }
}
