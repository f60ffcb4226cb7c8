package org.millrace.producers.readers;

import java.util.stream.Stream;
import org.millrace.common.Document;

/**
 * Reads documents from one input (a file, a directory, an archive, the corpus). Reading is lazy and
 * single-pass: files are opened as the stream reaches them, and whatever cannot be read is reported
 * to the {@link SkipListener} and skipped, never thrown.
 */
public interface DocumentReader {

    /**
     * A lazy stream of the input's documents. Close it (try-with-resources) to release open files
     * when not reading to the end.
     */
    Stream<Document> documents(SkipListener skips);

    /** What this reader reads, for progress lines and logs. */
    String describe();

    /**
     * Independent parts of this input (the files of a directory, the sources of the corpus), largest
     * first, that together yield the same documents with the same ids; read concurrently by
     * {@link org.millrace.producers.Ingest} when it runs on several threads. A reader that cannot be
     * split returns itself.
     */
    default java.util.List<DocumentReader> split() {
        return java.util.List.of(this);
    }
}
