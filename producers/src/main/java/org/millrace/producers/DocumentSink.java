package org.millrace.producers;

import org.millrace.common.Document;

/** Where ingested documents go: Kafka through {@link DocumentPublisher}, or anything else. */
public interface DocumentSink {

    /** Takes one document; may block (backpressure). */
    void accept(Document document);

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
            public void flush() {
                publisher.flush();
            }
        };
    }
}
