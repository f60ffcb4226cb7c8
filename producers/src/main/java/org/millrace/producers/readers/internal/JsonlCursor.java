package org.millrace.producers.readers.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;

/**
 * JSON Lines, gzipped or not, in the shape datatrove and Dolma write: one object per line with a
 * string {@code text}, an optional {@code id}, {@code source}, {@code kind}, {@code url} and
 * {@code metadata} (datatrove keeps the URL in {@code metadata.url}; Dolma adds {@code added} and
 * {@code created}). Each bad line is reported with its number and skipped.
 */
final class JsonlCursor extends Cursor {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    /**
     * One object per line and nothing else: text after the object ({@code {...} garbage}) and a field given
     * twice (which parsers resolve differently: first or last wins) make the line malformed.
     */
    private static final ObjectReader LINE = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    /** What {@link #parseFlat} returns for a line it reported and skipped. */
    private static final Document SKIPPED = Document.of("skipped", "", "skipped", DocumentKind.WEB);
    private final Path file;
    private final String rel;
    private final ReadContext ctx;
    private final TextChecks checks;
    private InputStream in;
    private ByteLines lines;

    JsonlCursor(Path file, String rel, ReadContext ctx) {
        super(file.toString());
        this.file = file;
        this.rel = rel;
        this.ctx = ctx;
        this.checks = ctx.checks();
    }

    @Override
    protected Document advance() {
        try {
            if (lines == null) {
                in = Inputs.open(file);
                lines = new ByteLines(in, (int) ctx.options().maxDocumentBytes() * 2);
            }
            while (lines.next()) {
                Document d = parse();
                if (d != null) {
                    return d;
                }
            }
            return null;
        } catch (IOException e) {
            long at = lines == null ? 0 : lines.number() + 1;
            ctx.skip(label(), at, (lines == null ? "cannot be read: " : "reading stopped (truncated or corrupt file): ")
                    + ConcatCursor.describe(e));
            return null;
        }
    }

    private Document parse() {
        long n = lines.number();
        if (lines.overlong()) {
            ctx.skip(label(), n, "line of " + lines.totalLength() + " bytes is longer than twice "
                    + "millrace.ingest.max-document-bytes = " + ctx.options().maxDocumentBytes());
            return null;
        }
        TextChecks.Result line = checks.decodeUtf8Line(lines.bytes(), lines.length());
        if (!line.ok()) {
            ctx.skip(label(), n, line.problem());
            return null;
        }
        if (line.text().isBlank()) {
            return null;
        }
        Document fast = parseFlat(line.text(), n);
        if (fast != null) {
            return fast == SKIPPED ? null : fast;
        }
        JsonNode node;
        try {
            node = LINE.readTree(line.text());
        } catch (JsonProcessingException e) {
            ctx.skip(label(), n, "malformed JSON: " + e.getOriginalMessage());
            return null;
        }
        if (node == null || !node.isObject()) {
            ctx.skip(label(), n, "line is not a JSON object");
            return null;
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
            ctx.skip(label(), n, "no string field \"text\"");
            return null;
        }
        TextChecks.Result checked = checks.checkText(text.textValue());
        if (!checked.ok()) {
            ctx.skip(label(), n, checked.problem());
            return null;
        }
        return document(node, checked.text(), n);
    }

    /**
     * The common line ({@code text} and optionally {@code id}, {@code source}, {@code url}, {@code kind} as
     * strings, no {@code metadata}, {@code added} or {@code created}) read with the streaming parser, which
     * builds no tree: a third of the time of reading short texts. Null for any other line, which the tree
     * reading then handles (and reports) as before; {@link #SKIPPED} when the line was reported here.
     */
    private Document parseFlat(String json, long n) {
        String text = null;
        String id = null;
        String source = null;
        String url = null;
        String kind = null;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            // the same strictness as LINE: a duplicate field throws, and trailing text is left to LINE to report
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "metadata", "added", "created" -> {
                        return null;
                    }
                    case "text", "id", "source", "url", "kind" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        String value = p.getText();
                        switch (name) {
                            case "text" -> text = value;
                            case "id" -> id = value;
                            case "source" -> source = value;
                            case "url" -> url = value;
                            default -> kind = value;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || text == null || p.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null; // the tree reading reports it
        }
        TextChecks.Result checked = checks.checkText(text);
        if (!checked.ok()) {
            ctx.skip(label(), n, checked.problem());
            return SKIPPED;
        }
        ReadContext c = ctx.options().source() == null && source != null && !source.isBlank() ? ctx.withSource(source) : ctx;
        Map<String, Object> metadata = new HashMap<>();
        if (id != null) {
            metadata.put("original_id", id);
        }
        DocumentKind documentKind = DocumentKind.WEB;
        if (kind != null) {
            try {
                documentKind = DocumentKind.parse(kind);
            } catch (IllegalArgumentException e) {
                ctx.skip(label(), n, "field \"kind\": " + e.getMessage());
                return SKIPPED;
            }
        }
        String locator = rel + "#" + (id != null ? "id=" + id : "line=" + n);
        return new Document(c.id(locator), checked.text(), c.source(), c.kind(documentKind), url, metadata);
    }

    private Document document(JsonNode node, String text, long n) {
        ReadContext c = ctx;
        JsonNode source = node.get("source");
        if (ctx.options().source() == null && source != null && source.isTextual() && !source.textValue().isBlank()) {
            c = ctx.withSource(source.textValue());
        }
        Map<String, Object> metadata = new HashMap<>();
        JsonNode meta = node.get("metadata");
        if (meta != null && meta.isObject()) {
            metadata.putAll(Json.MAPPER.convertValue(meta, MAP));
        }
        for (String field : new String[] {"added", "created"}) {
            JsonNode v = node.get(field);
            if (v != null && v.isValueNode()) {
                metadata.put(field, v.asText());
            }
        }
        JsonNode id = node.get("id");
        String originalId = id != null && id.isValueNode() && !id.isNull() ? id.asText() : null;
        if (originalId != null) {
            metadata.put("original_id", originalId);
        }
        String url = textOf(node.get("url"));
        if (url == null && meta != null) {
            url = textOf(meta.get("url"));
        }
        DocumentKind kind = DocumentKind.WEB;
        String k = textOf(node.get("kind"));
        if (k != null) {
            try {
                kind = DocumentKind.parse(k);
            } catch (IllegalArgumentException e) {
                ctx.skip(label(), n, "field \"kind\": " + e.getMessage());
                return null;
            }
        }
        String locator = rel + "#" + (originalId != null ? "id=" + originalId : "line=" + n);
        return new Document(c.id(locator), text, c.source(), c.kind(kind), url, metadata);
    }

    private static String textOf(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    @Override
    protected void release() {
        Inputs.closeQuietly(in);
    }
}
