package org.millrace.processing.filters.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

/**
 * TextNormalizer skips the NFC check for text below U+0300: no such text changes under NFC; and it
 * copies printable ASCII without its per-char checks: none of those chars is a line break, removed or blank.
 */
class TextNormalizerNfcTest {

    @Test
    void everyCharacterAndPairBelowTheLimitIsInNfc() {
        for (char a = 0; a < TextNormalizer.NFC_BELOW; a++) {
            assertTrue(Normalizer.isNormalized(String.valueOf(a), Normalizer.Form.NFC), "U+" + Integer.toHexString(a));
            for (char b = 0; b < TextNormalizer.NFC_BELOW; b++) {
                if (!Normalizer.isNormalized(new String(new char[] {a, b}), Normalizer.Form.NFC)) {
                    throw new AssertionError("U+" + Integer.toHexString(a) + " U+" + Integer.toHexString(b) + " is not in NFC");
                }
            }
        }
        // the limit is tight: the first combining mark composes with a letter before it
        assertFalse(Normalizer.isNormalized("e\u0301", Normalizer.Form.NFC));
        assertEquals("é", TextNormalizer.normalize("e\u0301", false));
        assertEquals("ﬁ café Ω", TextNormalizer.normalize("ﬁ cafe\u0301 \u2126", false)); // U+2126 OHM SIGN → Ω
    }

    @Test
    void printableAsciiIsNeitherLineBreakNorRemovedNorBlank() {
        for (char c = '!'; c < 0x7F; c++) {
            String one = String.valueOf(c);
            assertFalse(TextNormalizer.isRemoved(c, one, 0), one);
            assertFalse(c == ' ' || c == '\t' || Character.isSpaceChar(c), one);
            assertFalse(c == '\r' || c == '\n' || c == '\u000B' || c == '\f', one);
            assertTrue(c < TextNormalizer.NFC_BELOW);
            assertEquals("a" + c + "b", TextNormalizer.normalize("a" + c + "b", false));
        }
        assertEquals("x\ty", TextNormalizer.normalize("\u0001x\ty \t\n\n\n", true)); // the chars around it still go the long way
    }
}
