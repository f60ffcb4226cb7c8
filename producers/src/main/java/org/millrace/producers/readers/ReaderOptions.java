package org.millrace.producers.readers;

import com.typesafe.config.Config;
import org.millrace.common.DocumentKind;
import org.millrace.common.Settings;

/**
 * How readers turn bytes into documents.
 *
 * @param source           source name written into every document; null: the record's own source
 *                         (JSONL) or else the input's file name
 * @param kind             kind of every document; null: from the file extension or the record
 * @param maxDocumentBytes larger documents are skipped and reported ({@code millrace.ingest.max-document-bytes})
 * @param maxControlRatio  text whose share of control characters is higher is taken as binary and
 *                         skipped ({@code millrace.ingest.max-control-ratio})
 */
public record ReaderOptions(String source, DocumentKind kind, long maxDocumentBytes, double maxControlRatio) {
    public static final String MAX_DOCUMENT_BYTES = "millrace.ingest.max-document-bytes";
    public static final String MAX_CONTROL_RATIO = "millrace.ingest.max-control-ratio";

    public ReaderOptions {
        if (source != null && source.isBlank()) {
            throw new IllegalArgumentException("--source must not be blank");
        }
        if (maxDocumentBytes <= 0 || maxDocumentBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(MAX_DOCUMENT_BYTES + " = " + maxDocumentBytes
                    + " is invalid: must be > 0 and below 2 GiB");
        }
        if (!(maxControlRatio >= 0 && maxControlRatio <= 1)) {
            throw new IllegalArgumentException(MAX_CONTROL_RATIO + " = " + maxControlRatio
                    + " is invalid: must be within [0, 1]");
        }
    }

    /** Defaults of {@code reference.conf}: 4 MiB documents, 5% control characters. */
    public static ReaderOptions defaults() {
        return new ReaderOptions(null, null, 4L * 1024 * 1024, 0.05);
    }

    public static ReaderOptions fromConfig(Config config) {
        long max;
        try {
            max = config.getBytes(MAX_DOCUMENT_BYTES);
        } catch (com.typesafe.config.ConfigException e) {
            throw new Settings.SettingsException(MAX_DOCUMENT_BYTES + ": " + e.getMessage(), e);
        }
        if (max <= 0 || max > Integer.MAX_VALUE - 16) {
            throw Settings.invalid(config, MAX_DOCUMENT_BYTES, max, "must be > 0 and below 2 GiB");
        }
        double ratio = Settings.doubleInRange(config, MAX_CONTROL_RATIO, 0, 1);
        return new ReaderOptions(null, null, max, ratio);
    }

    public ReaderOptions withSource(String newSource) {
        return new ReaderOptions(newSource, kind, maxDocumentBytes, maxControlRatio);
    }

    public ReaderOptions withKind(DocumentKind newKind) {
        return new ReaderOptions(source, newKind, maxDocumentBytes, maxControlRatio);
    }
}
