package org.millrace.processing.filters;

import com.typesafe.config.Config;
import java.util.Set;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.filters.internal.FilterSettings;
import org.millrace.processing.filters.internal.PiiScanner;

/**
 * Replaces e-mail addresses, global IP addresses and phone numbers with placeholders (see
 * {@link PiiScanner}). A document with any replaced is kept as modified, its score the number of
 * replacements; no document is dropped.
 */
public final class PiiFilter implements DocumentFilter {
    public static final String NAME = "pii";

    private final PiiScanner scanner;
    private final Set<DocumentKind> kinds;

    public PiiFilter(String emailPlaceholder, String ipPlaceholder, String phonePlaceholder, Set<DocumentKind> kinds) {
        this.scanner = new PiiScanner(emailPlaceholder, ipPlaceholder, phonePlaceholder);
        this.kinds = Set.copyOf(kinds);
    }

    public static PiiFilter fromConfig(Config config) {
        FilterSettings s = new FilterSettings(config, NAME);
        return new PiiFilter(s.string("email-placeholder"), s.string("ip-placeholder"), s.string("phone-placeholder"),
                s.kinds());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        if (!kinds.contains(document.kind())) {
            return Verdict.keep(document);
        }
        PiiScanner.Result r = scanner.replace(document.text());
        if (r.total() == 0) {
            return Verdict.keep(document);
        }
        return new Verdict.Keep(document.withText(r.text()), true, r.total());
    }
}
