package org.millrace.processing.filters;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;

/** Test samples (src/test/resources/filters, see its README) and settings. */
final class Samples {
    private Samples() {
    }

    static String text(String path) {
        try (InputStream in = Samples.class.getResourceAsStream("/filters/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource filters/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raw bytes read as Latin-1, as a reader that does not know a mail's charset would. */
    static String latin1(String path) {
        try (InputStream in = Samples.class.getResourceAsStream("/filters/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Document doc(String text, DocumentKind kind) {
        return new Document("doc-" + Integer.toHexString(text.hashCode()), text, "test", kind, null, Map.of());
    }

    static Document doc(String text, DocumentKind kind, String contentType) {
        return new Document("doc-" + Integer.toHexString(text.hashCode()), text, "test", kind, null,
                Map.of("content_type", contentType));
    }

    /** The defaults of every reference.conf, with {@code overrides} (HOCON) on top. */
    static Config config(String overrides) {
        ConfigFactory.invalidateCaches();
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve();
    }

    static Config config() {
        return config("");
    }
}
