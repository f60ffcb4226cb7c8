package org.millrace.producers;

import org.millrace.producers.readers.SkipReport;

/** What an ingestion tells as it goes; the command line renders it. */
public interface IngestListener {
    IngestListener NONE = new IngestListener() { };

    /** Called about every {@code millrace.ingest.progress-interval}. */
    default void progress(IngestStats soFar) {
    }

    /** Called for every skipped file, line or record. */
    default void skipped(SkipReport report) {
    }

    /** Called once at the end, after the sink was flushed. */
    default void finished(IngestStats total) {
    }
}
