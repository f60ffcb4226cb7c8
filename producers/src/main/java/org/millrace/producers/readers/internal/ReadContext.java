package org.millrace.producers.readers.internal;

import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.producers.internal.StableIds;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.SkipListener;
import org.millrace.producers.readers.SkipReport;

/**
 * What every format reader needs: the options, the source name written into documents, the skip
 * listener and the text checks.
 *
 * @param options options of this read
 * @param source  source name of the documents (resolved: never null)
 * @param skips   where skipped files and records are reported
 */
public record ReadContext(ReaderOptions options, String source, SkipListener skips) {

    public TextChecks checks() {
        return new TextChecks(options);
    }

    public void skip(String file, long record, String reason) {
        skips.skipped(new SkipReport(file, record, reason));
    }

    /** Stable id of a document at {@code locator} (a relative path, with {@code #record} when needed). */
    public String id(String locator) {
        return StableIds.of(source, locator); // Document.stableId, faster
    }

    /** The kind of a document: the one the options force, else the one the format says. */
    public DocumentKind kind(DocumentKind fromFormat) {
        return options.kind() != null ? options.kind() : fromFormat;
    }

    /** The same read with another source name (JSONL records naming their own source). */
    public ReadContext withSource(String newSource) {
        return new ReadContext(options, newSource, skips);
    }
}
