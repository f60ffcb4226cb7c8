package org.millrace.processing.filters.internal;

import com.optimaize.langdetect.text.TextFilter;
import com.optimaize.langdetect.text.UrlTextFilter;

/**
 * The language detector's {@link UrlTextFilter}, run only on the parts of a text it can change. Its
 * two patterns (an {@code http://} or {@code https://} URL, then an e-mail address, each replaced by a
 * space) match only characters of {@link #isLinkChar}, and a match needs a {@code ://} or an
 * {@code @}: so each maximal run of those characters is filtered on its own (a match cannot cross
 * the run's ends, and the patterns have no anchors or look-around), and only runs with a {@code ://}
 * or an {@code @} are handed to the library's filter. Text without either comes back as it is. This
 * saves the e-mail pattern's attempt at every position of every word (12 % of the language filter's
 * time on the corpus); {@code LanguageSampleAgreementTest} compares the result with the library's.
 */
public final class QuickUrlTextFilter implements TextFilter {
    public static final QuickUrlTextFilter INSTANCE = new QuickUrlTextFilter();

    private QuickUrlTextFilter() {
    }

    @Override
    public String filter(CharSequence text) {
        String s = text.toString();
        if (s.indexOf('@') < 0 && !s.contains("://")) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (!isLinkChar(s.charAt(i))) {
                out.append(s.charAt(i++));
                continue;
            }
            int end = i;
            while (end < s.length() && isLinkChar(s.charAt(end))) {
                end++;
            }
            String run = s.substring(i, end);
            out.append(run.indexOf('@') >= 0 || run.contains("://") ? UrlTextFilter.getInstance().filter(run) : run);
            i = end;
        }
        return out.toString();
    }

    /**
     * The characters of either pattern: {@code https?://[-_.?&~;+=/#0-9A-Za-z]+} and
     * {@code [-_.0-9A-Za-z]+@[-_0-9A-Za-z]+[-_.0-9A-Za-z]+} (language-detector 0.6).
     */
    static boolean isLinkChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.?&~;+=/#:@".indexOf(c) >= 0;
    }
}
