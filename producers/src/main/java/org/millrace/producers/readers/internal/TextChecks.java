package org.millrace.producers.readers.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.millrace.producers.internal.ByteBlocks;
import org.millrace.producers.readers.ReaderOptions;

/**
 * The checks every text goes through before it becomes a document: size cap, binary content (NUL
 * bytes or too many control characters), strict decoding (invalid UTF-8 is reported with its byte
 * offset, never replaced), and emptiness.
 */
public final class TextChecks {
    private final ReaderOptions options;

    public TextChecks(ReaderOptions options) {
        this.options = options;
    }

    /** The text of {@code bytes}, or the reason they cannot be a document. */
    /**
     * @param text    the text, or null
     * @param problem why the bytes cannot be a document, or null
     * @param utf8    the bytes decoded when {@code text} is exactly their UTF-8 (every byte, no mark dropped), else null
     */
    public record Result(String text, String problem, byte[] utf8) {
        public Result(String text, String problem) {
            this(text, problem, null);
        }

        static Result ok(String text) {
            return new Result(text, null);
        }

        static Result bad(String problem) {
            return new Result(null, problem);
        }

        public boolean ok() {
            return problem == null;
        }
    }

    /** The reason a document of {@code size} bytes is too large, or null. */
    public String sizeProblem(long size) {
        if (size > options.maxDocumentBytes()) {
            return "document of " + size + " bytes is larger than " + ReaderOptions.MAX_DOCUMENT_BYTES + " = "
                    + options.maxDocumentBytes();
        }
        return null;
    }

    public Result decodeUtf8(byte[] bytes, int length) {
        return decode(bytes, length, StandardCharsets.UTF_8);
    }

    public Result decode(byte[] bytes, int length, Charset charset) {
        String tooLarge = sizeProblem(length);
        if (tooLarge != null) {
            return Result.bad(tooLarge);
        }
        if (charset.equals(StandardCharsets.UTF_8)) {
            return decodeUtf8Fast(bytes, length);
        }
        boolean asciiCompatible = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.ISO_8859_1)
                || charset.equals(StandardCharsets.US_ASCII) || charset.name().toLowerCase(Locale.ROOT).startsWith("windows-");
        if (asciiCompatible) {
            for (int i = 0; i < length; i++) {
                if (bytes[i] == 0) {
                    return Result.bad("binary content: NUL byte at offset " + i);
                }
            }
        }
        Result decoded = decodeOnly(bytes, length, charset);
        return decoded.ok() ? checkText(decoded.text()) : decoded;
    }

    /**
     * UTF-8 in one pass over the bytes for NUL and control characters (in UTF-8 these are single bytes,
     * never part of a multi-byte sequence), then the JDK's own decoding (ASCII copied as Latin-1);
     * the strict decoder runs only when the lenient one replaced something, to report where. The
     * same results and messages as decoding strictly and then {@link #checkText}, at several times
     * the speed, which ingestion throughput depends on. The bytes are scanned eight at a time.
     */
    private Result decodeUtf8Fast(byte[] bytes, int length) {
        int controls = 0;
        long high = 0;
        int i = 0;
        for (int end = length - 7; i < end; i += 8) { // eight bytes at a time: most blocks hold no control character
            long x = ByteBlocks.block(bytes, i);
            high |= ByteBlocks.nonAscii(x);
            long control = ByteBlocks.below0x20(x) | ByteBlocks.equalTo(x, (byte) 0x7f);
            if (control != 0) {
                long nul = ByteBlocks.equalTo(x, (byte) 0);
                if (nul != 0) {
                    return Result.bad("binary content: NUL byte at offset " + (i + ByteBlocks.firstIndex(nul)));
                }
                long allowed = ByteBlocks.equalTo(x, (byte) '\n') | ByteBlocks.equalTo(x, (byte) '\r')
                        | ByteBlocks.equalTo(x, (byte) '\t') | ByteBlocks.equalTo(x, (byte) '\f');
                controls += Long.bitCount(control & ~allowed);
            }
        }
        boolean ascii = high == 0;
        for (; i < length; i++) {
            byte b = bytes[i];
            if (b < 0x20 || b == 0x7f) {
                if (b < 0) {
                    ascii = false;
                } else if (b == 0) {
                    return Result.bad("binary content: NUL byte at offset " + i);
                } else if (b != '\n' && b != '\r' && b != '\t' && b != '\f') {
                    controls++;
                }
            }
        }
        String text;
        boolean exact = length == bytes.length;
        if (ascii) {
            text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        } else {
            text = new String(bytes, 0, length, StandardCharsets.UTF_8);
            if (text.indexOf('\uFFFD') >= 0) {
                Result strict = decodeOnly(bytes, length, StandardCharsets.UTF_8);
                if (!strict.ok()) {
                    return strict;
                }
                text = strict.text();
            } else if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
                exact = false;
            }
        }
        Result r = checkCounted(text, controls);
        return r.ok() && exact ? new Result(r.text(), null, bytes) : r;
    }

    /**
     * A JSON line, decoded strictly as UTF-8 and not checked further: the JDK's lenient decoding first
     * (no decoder object per line), the strict decoder only when that replaced something.
     */
    public Result decodeUtf8Line(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            return decodeOnly(bytes, length, StandardCharsets.UTF_8);
        }
        return Result.ok(!text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text);
    }

    private static Result decodeOnly(byte[] bytes, int length, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        long capacity = (long) Math.ceil(length * (double) decoder.maxCharsPerByte()) + 1;
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16L, capacity));
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            return Result.bad("invalid " + charset.name() + " at byte offset " + in.position());
        }
        out.flip();
        int start = out.length() > 0 && out.charAt(0) == '\uFEFF' ? 1 : 0;
        return Result.ok(out.subSequence(start, out.length()).toString());
    }

    /**
     * Checks text that is already decoded (mail bodies, JSON strings): size, control characters,
     * unpaired surrogates (a JSON "\\ud800" escape; such text has no UTF-8 form), emptiness.
     */
    public Result checkText(String text) {
        if (text.length() > options.maxDocumentBytes()) {
            return Result.bad("document of " + text.length() + " characters is larger than "
                    + ReaderOptions.MAX_DOCUMENT_BYTES + " = " + options.maxDocumentBytes());
        }
        int controls = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return Result.bad("binary content: NUL character at offset " + i);
            }
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7f) {
                controls++;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return Result.bad("unpaired UTF-16 surrogate at character offset " + i);
                }
            }
        }
        return checkCounted(text, controls);
    }

    private Result checkCounted(String text, int controls) {
        if (text.length() > options.maxDocumentBytes()) {
            return Result.bad("document of " + text.length() + " characters is larger than "
                    + ReaderOptions.MAX_DOCUMENT_BYTES + " = " + options.maxDocumentBytes());
        }
        if (!text.isEmpty() && controls > options.maxControlRatio() * text.length()) {
            return Result.bad(String.format(Locale.ROOT,
                    "binary content: %.1f%% control characters, more than %s = %s",
                    100.0 * controls / text.length(), ReaderOptions.MAX_CONTROL_RATIO, options.maxControlRatio()));
        }
        if (text.isBlank()) {
            return Result.bad("empty document");
        }
        return Result.ok(text);
    }
}
