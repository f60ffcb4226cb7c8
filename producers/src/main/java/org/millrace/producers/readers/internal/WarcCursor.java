package org.millrace.producers.readers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageBody;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTargetRecord;

/**
 * WARC and WET files, gzipped or not (jwarc detects the compression): {@code response} records with
 * a text payload become documents of the raw payload (HTML is extracted downstream), {@code conversion}
 * records (WET) and text {@code resource} records become documents of their text. Requests,
 * metadata, warcinfo and revisit records are not documents and are passed over silently. A truncated
 * or corrupt file yields the records before the damage and one report.
 */
final class WarcCursor extends Cursor {
    private static final Set<String> TEXT_TYPES = Set.of("text/html", "application/xhtml+xml", "text/plain",
            "text/markdown", "text/x-rst");
    private static final Pattern META_CHARSET = Pattern.compile("<meta[^>]+charset\\s*=\\s*[\"']?([A-Za-z0-9_.:-]+)",
            Pattern.CASE_INSENSITIVE);
    private final Path file;
    private final String rel;
    private final ReadContext ctx;
    private final TextChecks checks;
    private WarcReader reader;
    private long record;
    private String lastWarning;

    WarcCursor(Path file, String rel, ReadContext ctx) {
        super(file.toString());
        this.file = file;
        this.rel = rel;
        this.ctx = ctx;
        this.checks = ctx.checks();
    }

    @Override
    protected Document advance() {
        if (reader == null) {
            try {
                reader = new WarcReader(FileChannel.open(file));
                reader.onWarning(w -> lastWarning = w);
            } catch (IOException e) {
                ctx.skip(label(), 0, "cannot be read: " + ConcatCursor.describe(e));
                return null;
            }
        }
        while (true) {
            Optional<WarcRecord> next;
            try {
                next = reader.next();
            } catch (IOException | RuntimeException e) {
                return stop(e);
            }
            if (next.isEmpty()) {
                return null;
            }
            record++;
            WarcRecord r = next.get();
            try {
                Document d = document(r);
                if (d != null) {
                    return d;
                }
            } catch (java.io.EOFException e) {
                return stop(e);
            } catch (IOException | RuntimeException e) {
                ctx.skip(label(), record, "WARC record cannot be read: " + ConcatCursor.describe(e));
            }
        }
    }

    private Document stop(Exception e) {
        String warning = lastWarning == null ? "" : " (" + lastWarning + ")";
        ctx.skip(label(), record + 1, "truncated or corrupt WARC after record " + record + ": "
                + ConcatCursor.describe(e) + warning);
        return null;
    }

    private Document document(WarcRecord r) throws IOException {
        if (r instanceof WarcResponse) {
            WarcResponse response = (WarcResponse) r;
            HttpResponse http = response.http();
            if (http.status() < 200 || http.status() >= 300) {
                ctx.skip(label(), record, "HTTP status " + http.status() + " of " + response.target());
                return null;
            }
            return payloadDocument(response, http.contentType(), http.bodyDecoded());
        }
        if (r instanceof WarcConversion || r instanceof WarcResource) {
            return payloadDocument((WarcTargetRecord) r, r.contentType(), r.body());
        }
        return null;
    }

    private Document payloadDocument(WarcTargetRecord r, MediaType type, MessageBody body) throws IOException {
        String base = type.base().toString().toLowerCase(Locale.ROOT);
        if (!TEXT_TYPES.contains(base)) {
            ctx.skip(label(), record, "payload type " + base + " of " + r.target() + " is not text");
            return null;
        }
        long cap = ctx.options().maxDocumentBytes();
        byte[] bytes;
        try (InputStream in = body.stream()) {
            bytes = in.readNBytes((int) cap + 1);
        }
        if (bytes.length > cap) {
            ctx.skip(label(), record, "payload of " + r.target() + " is larger than "
                    + "millrace.ingest.max-document-bytes = " + cap);
            return null;
        }
        TextChecks.Result text = checks.decode(bytes, bytes.length, charset(type, bytes, base));
        if (!text.ok()) {
            ctx.skip(label(), record, text.problem() + " in " + r.target());
            return null;
        }
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("content_type", base.equals("application/xhtml+xml") ? "text/html" : base);
        metadata.put("warc_record_id", r.id().toString());
        metadata.put("warc_type", r.type());
        metadata.put("warc_date", r.date().toString());
        return new Document(ctx.id(rel + "#" + r.id()), text.text(), ctx.source(), ctx.kind(DocumentKind.WEB),
                r.target(), metadata);
    }

    /** The declared charset (HTTP header, else HTML meta tag), else UTF-8. */
    private static Charset charset(MediaType type, byte[] bytes, String base) {
        String name = type.parameters().get("charset");
        if (name == null && base.contains("html")) {
            String head = new String(bytes, 0, Math.min(bytes.length, 2048), StandardCharsets.ISO_8859_1);
            Matcher m = META_CHARSET.matcher(head);
            if (m.find()) {
                name = m.group(1);
            }
        }
        if (name != null) {
            try {
                return Charset.forName(name.trim());
            } catch (IllegalArgumentException unknown) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    protected void release() {
        Inputs.closeQuietly(reader);
    }
}
