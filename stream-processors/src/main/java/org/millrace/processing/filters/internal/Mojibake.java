package org.millrace.processing.filters.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Repairs UTF-8 that was decoded as Windows-1252 or Latin-1 ("cafÃ©" → "café", "â€™" → "’"), the
 * commonest damage of web text, as ftfy does: a run of characters that are exactly what such a
 * decoder makes of a UTF-8 multi-byte sequence is encoded back to bytes and decoded as UTF-8, and
 * replaced only if that decoding is valid. Text without such runs is returned as is.
 */
public final class Mojibake {
    /** Characters Windows-1252 makes of the bytes 0x80–0xBF (UTF-8 continuation bytes). */
    private static final String CONTINUATION = "[\\u0080-\\u00BF\\u0152\\u0153\\u0160\\u0161\\u0178\\u017D\\u017E"
            + "\\u0192\\u02C6\\u02DC\\u2013\\u2014\\u2018\\u2019\\u201A\\u201C\\u201D\\u201E\\u2020\\u2021\\u2022"
            + "\\u2026\\u2030\\u2039\\u203A\\u20AC\\u2122]";
    private static final Pattern SEQUENCE = Pattern.compile("(?:[\\u00C2-\\u00DF]" + CONTINUATION
            + "|[\\u00E0-\\u00EF]" + CONTINUATION + "{2}|[\\u00F0-\\u00F4]" + CONTINUATION + "{3})+");
    private static final Pattern LEAD = Pattern.compile("[\\u00C2-\\u00F4]");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private Mojibake() {
    }

    /**
     * The text with mojibake runs repaired, then C1 control characters (U+0080–U+009F: Windows-1252
     * text decoded as Latin-1, where 0x92 is a right quote) read as Windows-1252; {@code text} itself
     * when there was nothing to repair.
     */
    public static String repair(String text) {
        return fixC1Controls(repairRuns(text));
    }

    private static String fixC1Controls(String text) {
        int i = 0;
        while (i < text.length() && (text.charAt(i) < 0x80 || text.charAt(i) > 0x9F)) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && c <= 0x9F) {
                String decoded = new String(new byte[] {(byte) c}, WINDOWS_1252);
                if (decoded.charAt(0) != '\uFFFD' && !(decoded.charAt(0) >= 0x80 && decoded.charAt(0) <= 0x9F)) {
                    out.append(decoded);
                } else {
                    out.append(c); // one of the five bytes Windows-1252 leaves undefined: removed as a control later
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String repairRuns(String text) {
        if (!LEAD.matcher(text).find()) {
            return text;
        }
        Matcher m = SEQUENCE.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String fixed = redecode(m.group());
            if (fixed == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(fixed);
            last = m.end();
        }
        if (out == null) {
            return text;
        }
        return out.append(text, last, text.length()).toString();
    }

    private static String redecode(String run) {
        byte[] bytes = new byte[run.length()];
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (c <= 0xFF) {
                bytes[i] = (byte) c; // Latin-1, and Windows-1252 where it agrees
            } else {
                ByteBuffer b = WINDOWS_1252.encode(String.valueOf(c));
                if (b.remaining() != 1) {
                    return null;
                }
                bytes[i] = b.get();
            }
        }
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return decoded.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
