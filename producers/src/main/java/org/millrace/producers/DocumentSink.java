package org.millrace.producers;

import org.millrace.common.Document;

/** Where ingested documents go: Kafka through {@link DocumentPublisher}, or anything else. */
public interface DocumentSink {

    /** Takes one document; may block (backpressure). */
    void accept(Document document);

    /** Takes one document as {@link #accept} does and returns the UTF-8 bytes of its text, which ingestion counts. */
    default long acceptCounting(Document document) {
        accept(document);
        return Ingest.utf8Length(document.text());
    }

    /** Waits until everything accepted so far is stored. */
    default void flush() {
    }

    /** A sink that publishes to Kafka. */
    static DocumentSink of(DocumentPublisher publisher) {
        return new DocumentSink() {
            @Override
            public void accept(Document document) {
                publisher.publish(document);
            }

            @Override
            public long acceptCounting(Document document) {
                return publisher.publishCounting(document); // the encoder knows the text's UTF-8 length
            }

            @Override
            public void flush() {
                publisher.flush();
            }
        };
    }
}
