package org.millrace.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A document as it travels through Millrace: the JSONL shape that datatrove and Dolma use
 * ({@code id}, {@code text}, {@code source}, {@code kind}, {@code url}, {@code metadata}).
 *
 * @param id       stable identifier (see {@link #stableId(String, String)})
 * @param text     the document's text, UTF-8
 * @param source   where it came from (a corpus source name, a file, a generator)
 * @param kind     what it is, which decides how curation treats it
 * @param url      origin URL or path, may be null
 * @param metadata free-form attributes (labels, generator seed, licence...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Document(String id, String text, String source, DocumentKind kind, String url,
                       Map<String, Object> metadata) {

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static Document of(String id, String text, String source, DocumentKind kind) {
        return new Document(id, text, source, kind, null, Map.of());
    }

    /**
     * A stable id from the source and a path or record id inside it, so that re-ingesting the same
     * file yields the same ids and downstream stages recognise it: the first 16 bytes of SHA-256, hex.
     */
    public static String stableId(String source, String locator) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(locator.getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest();
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public Document withText(String newText) {
        return new Document(id, newText, source, kind, url, metadata);
    }
}
