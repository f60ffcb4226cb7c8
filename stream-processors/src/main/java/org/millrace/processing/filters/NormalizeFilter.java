package org.millrace.processing.filters;

import com.typesafe.config.Config;
import java.util.Locale;
import org.millrace.common.Document;
import org.millrace.common.Verdict;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.filters.internal.DocumentTypes;
import org.millrace.processing.filters.internal.FilterSettings;
import org.millrace.processing.filters.internal.MailHeaders;
import org.millrace.processing.filters.internal.Mojibake;
import org.millrace.processing.filters.internal.TextNormalizer;

/**
 * Text normalisation: the header block of raw RFC-822 messages removed (the subject stays as the
 * first line, as the mail reader writes it), mojibake repaired, invalid UTF-8 (replacement
 * characters from decoding, unpaired surrogates) removed when rare and the document dropped when
 * not, control characters removed, whitespace normalised, Unicode NFC. See {@link TextNormalizer}.
 */
public final class NormalizeFilter implements DocumentFilter {
    public static final String NAME = "normalize";

    private final double maxInvalidRatio;
    private final boolean repairMojibake;
    private final boolean stripMailHeaders;

    public NormalizeFilter(double maxInvalidRatio, boolean repairMojibake, boolean stripMailHeaders) {
        this.maxInvalidRatio = maxInvalidRatio;
        this.repairMojibake = repairMojibake;
        this.stripMailHeaders = stripMailHeaders;
    }

    public static NormalizeFilter fromConfig(Config config) {
        FilterSettings s = new FilterSettings(config, NAME);
        return new NormalizeFilter(s.fraction("max-invalid-ratio"), s.flag("repair-mojibake"), s.flag("strip-mail-headers"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        String text = document.text();
        boolean code = DocumentTypes.isCode(document);
        if (stripMailHeaders && !code) {
            String body = MailHeaders.strip(text);
            if (body != null) {
                text = body;
            }
        }
        int invalid = TextNormalizer.invalidCount(text);
        if (invalid > 0) {
            double ratio = invalid / (double) text.length();
            if (ratio > maxInvalidRatio) {
                return new Verdict.Drop("invalid_utf8", String.format(Locale.ROOT,
                        "%d of %d characters (%.3f%%) are replacement characters or unpaired surrogates, more than "
                                + "millrace.curation.%s.max-invalid-ratio = %s", invalid, text.length(), 100 * ratio,
                        NAME, maxInvalidRatio), ratio);
            }
        }
        if (repairMojibake && !code) {
            text = Mojibake.repair(text);
        }
        text = TextNormalizer.normalize(text, code);
        if (text.isEmpty()) {
            return Verdict.drop("empty", "no text is left after normalisation");
        }
        if (text.equals(document.text())) {
            return Verdict.keep(document);
        }
        return new Verdict.Keep(document.withText(text), true, Double.NaN);
    }
}
