package org.millrace.processing.filters.internal;

import com.optimaize.langdetect.cybozu.util.CharNormalizer;
import com.optimaize.langdetect.text.RemoveMinorityScriptsTextFilter;
import com.optimaize.langdetect.text.TextFilter;

/**
 * A text prepared for the language detector exactly as the library's
 * {@code CommonTextObjectFactories.forDetectingOnLargeText()} prepares it — URLs and e-mail addresses
 * out, letters of scripts under 30 % out, every char through the library's {@code CharNormalizer},
 * runs of spaces collapsed, at most 10,000 chars — with less work per char: the normaliser's answer
 * for every char is looked up in a table made once from it (the library asks for each char's Unicode
 * block), the URL filter runs only on text it can change ({@link QuickUrlTextFilter}), and the
 * minority-script filter is skipped on ASCII text, where it changes nothing (Latin is the only script
 * it counts there). {@code LanguageSampleAgreementTest} compares the result with the library's.
 */
public final class DetectorText {
    private static final int MAX_TEXT_LENGTH = 10_000;
    private static final TextFilter MINORITY_SCRIPTS = RemoveMinorityScriptsTextFilter.forThreshold(0.3);
    private static final char[] NORMALIZED = new char[Character.MAX_VALUE + 1];

    static {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            NORMALIZED[c] = CharNormalizer.normalize((char) c);
        }
    }

    private DetectorText() {
    }

    public static String prepare(String text) {
        String filtered = QuickUrlTextFilter.INSTANCE.filter(text);
        if (!isAscii(text)) {
            filtered = MINORITY_SCRIPTS.filter(filtered);
        }
        int length = Math.min(filtered.length(), MAX_TEXT_LENGTH);
        StringBuilder sb = new StringBuilder(length);
        char pre = 0;
        for (int i = 0; i < filtered.length() && sb.length() < MAX_TEXT_LENGTH; i++) {
            char c = NORMALIZED[filtered.charAt(i)];
            if (c != ' ' || pre != ' ') {
                sb.append(c);
            }
            pre = c;
        }
        return sb.toString();
    }

    public static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
