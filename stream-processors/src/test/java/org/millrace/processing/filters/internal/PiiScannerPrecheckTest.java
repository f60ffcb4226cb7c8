package org.millrace.processing.filters.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * The check in front of the IPv6 pattern never turns a match away: wherever the pattern matches
 * (as replace tries it: a region of up to 400 characters, transparent bounds), 1–4 hex digits and a
 * colon start there. Random texts of addresses, hex words, colons and separators, every position.
 */
class PiiScannerPrecheckTest {
    private static final String[] PIECES = {
        "2001:db8::1", "fe80::1:2:3", "2a00:1450:4007:80e::200e", "::1", "1:2:3:4:5:6:7:8", "abcd:", "abcde:", "a:",
        "beef", "cafe", "dead:beef", ":", "::", " ", "\n", ".", "-", "g", "0", "12345", "face:b00c::", "FFFF:", "x",
    };

    @Test
    void everyIpv6MatchStartsWithHexAndAColon() {
        SplittableRandom random = new SplittableRandom(3);
        int matches = 0;
        int turnedAway = 0;
        for (int t = 0; t < 2_000; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(30); k >= 0; k--) {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String text = b.toString();
            Matcher m = PiiScanner.IPV6.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            for (int i = 0; i < text.length(); i++) {
                int to = Math.min(text.length(), i + 400);
                boolean match = m.region(i, to).lookingAt();
                boolean check = PiiScanner.hexThenColon(text, i, to);
                assertTrue(!match || check, "position " + i + " of " + text);
                matches += match ? 1 : 0;
                turnedAway += check ? 0 : 1;
            }
        }
        assertTrue(matches > 1_000 && turnedAway > 10_000, matches + " matches, " + turnedAway + " positions turned away");
    }
}
