package org.millrace.producers.readers.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.producers.readers.ReaderOptions;

/** The fast UTF-8 checks (eight bytes at a time) say what a strict decode followed by the text checks says. */
class TextChecksTest {
    private static final byte[][] PIECES = {
        {'a'}, {'Z'}, {' '}, {'\n'}, {'\r'}, {'\t'}, {'\f'}, {0x01}, {0x1b}, {0x1f}, {0x7f}, {0},
        "é".getBytes(StandardCharsets.UTF_8), "€".getBytes(StandardCharsets.UTF_8), "😀".getBytes(StandardCharsets.UTF_8),
        {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}};

    @Test
    void blockScanningAgreesWithAStrictDecodeOnRandomBytes() {
        TextChecks checks = new TextChecks(new ReaderOptions(null, null, 1 << 20, 0.05));
        Random r = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            ByteBuffer buf = ByteBuffer.allocate(256);
            int pieces = r.nextInt(40);
            for (int i = 0; i < pieces; i++) {
                // mostly letters, so that many inputs are valid text with only a few control characters
                byte[] p = r.nextInt(4) > 0 ? PIECES[r.nextInt(3)] : PIECES[r.nextInt(PIECES.length)];
                buf.put(p);
            }
            byte[] bytes = java.util.Arrays.copyOf(buf.array(), buf.position());
            TextChecks.Result expected = reference(checks, bytes);
            TextChecks.Result actual = checks.decodeUtf8(bytes, bytes.length);
            assertEquals(expected.text(), actual.text(), HexFormat.of().formatHex(bytes));
            assertEquals(expected.problem(), actual.problem(), HexFormat.of().formatHex(bytes));
            if (actual.utf8() != null) { // offered for reuse only when the text is exactly these bytes
                assertArrayEquals(bytes, actual.text().getBytes(StandardCharsets.UTF_8), HexFormat.of().formatHex(bytes));
            }
        }
    }

    private static TextChecks.Result reference(TextChecks checks, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return new TextChecks.Result(null, "binary content: NUL byte at offset " + i);
            }
        }
        String text;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            text = decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            return new TextChecks.Result(null, "invalid UTF-8 at byte offset " + in.position());
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return checks.checkText(text);
    }
}
