package org.millrace.processing.filters.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * The checks in front of the IPv4, IPv6 and phone patterns never turn a match away: wherever a
 * pattern matches (as replace tries it: a region of up to 400 characters, transparent bounds), its
 * check says it may. Random texts of addresses, phone numbers, numbers, hex words, colons and
 * separators, every position.
 */
class PiiScannerPrecheckTest {
    private static final String[] PIECES = {
        "2001:db8::1", "fe80::1:2:3", "2a00:1450:4007:80e::200e", "::1", "1:2:3:4:5:6:7:8", "abcd:", "abcde:", "a:",
        "beef", "cafe", "dead:beef", ":", "::", " ", "\n", ".", "-", "g", "0", "12345", "face:b00c::", "FFFF:", "x",
        "+44 20 7946 0958", "(555) 123-4567", "555.123.4567", "1-800-555-0199", "020 7946 0958", "01 56 77 01 20",
        "192.168.1.1", "8.8.8.8", "203.0.113.9", "1", "12", "123", "1234", "+", "(", ")", "1 ", "999.",
    };

    @Test
    void everyMatchPassesItsCheck() {
        SplittableRandom random = new SplittableRandom(3);
        int[] matches = new int[3];
        int[] turnedAway = new int[3];
        for (int t = 0; t < 2_000; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(30); k >= 0; k--) {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String text = b.toString();
            Matcher[] patterns = {
                PiiScanner.IPV4.matcher(text).useTransparentBounds(true).useAnchoringBounds(false),
                PiiScanner.IPV6.matcher(text).useTransparentBounds(true).useAnchoringBounds(false),
                PiiScanner.PHONE.matcher(text).useTransparentBounds(true).useAnchoringBounds(false),
            };
            for (int i = 0; i < text.length(); i++) {
                int to = Math.min(text.length(), i + 400);
                boolean[] checks = {
                    PiiScanner.digitsThenDot(text, i, to), PiiScanner.hexThenColon(text, i, to), PiiScanner.mayStartPhone(text, i, to),
                };
                for (int p = 0; p < 3; p++) {
                    boolean match = patterns[p].region(i, to).lookingAt();
                    assertTrue(!match || checks[p], "pattern " + p + " at position " + i + " of " + text);
                    matches[p] += match ? 1 : 0;
                    turnedAway[p] += checks[p] ? 0 : 1;
                }
            }
        }
        for (int p = 0; p < 3; p++) {
            assertTrue(matches[p] > 500 && turnedAway[p] > 10_000, "pattern " + p + ": " + matches[p] + " matches, "
                    + turnedAway[p] + " positions turned away");
        }
    }
}
