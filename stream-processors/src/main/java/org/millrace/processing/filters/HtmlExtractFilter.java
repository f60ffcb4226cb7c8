package org.millrace.processing.filters;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.millrace.common.Document;
import org.millrace.common.Verdict;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.filters.internal.DocumentTypes;
import org.millrace.processing.filters.internal.FilterSettings;
import org.millrace.processing.filters.internal.MainTextExtractor;

/**
 * HTML → main text, without navigation, headers and footers, sidebars, scripts and cookie banners
 * (see {@link MainTextExtractor}). Applies to documents whose {@code metadata.content_type} is HTML,
 * and to documents with no content type that look like HTML; the result is plain text with its
 * paragraph breaks, typed {@code text/plain}. A page with no main text is dropped.
 */
public final class HtmlExtractFilter implements DocumentFilter {
    public static final String NAME = "html-extract";
    /** A document opening as an HTML page, or with several common tags near its start. */
    private static final Pattern PAGE_START = Pattern.compile("^\\s*(<!--.*?-->\\s*)*(<\\?xml[^>]*>\\s*)?"
            + "(<!doctype\\s+html|<html[\\s>]|<head[\\s>]|<body[\\s>])", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern COMMON_TAG = Pattern.compile("</?(p|div|br|a|span|table|td|tr|li|ul|h[1-6]|b|i|em|strong)[\\s>/]",
            Pattern.CASE_INSENSITIVE);

    private final MainTextExtractor extractor;
    private final int sniffChars;
    private final int minTags;

    public HtmlExtractFilter(double maxLinkDensity, int sniffChars, int minTags) {
        this.extractor = new MainTextExtractor(maxLinkDensity);
        this.sniffChars = sniffChars;
        this.minTags = minTags;
    }

    public static HtmlExtractFilter fromConfig(Config config) {
        FilterSettings s = new FilterSettings(config, NAME);
        return new HtmlExtractFilter(s.fraction("max-link-density"), s.positiveInt("sniff-chars"),
                s.positiveInt("sniff-min-tags"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        if (!isHtml(document)) {
            return Verdict.keep(document);
        }
        String text = extractor.extract(document.text());
        if (text.isBlank()) {
            return Verdict.drop("no_main_text", "the page has no text outside its boilerplate");
        }
        Map<String, Object> metadata = new HashMap<>(document.metadata());
        metadata.put("content_type", "text/plain");
        metadata.put("extracted_from", "text/html");
        Document extracted = new Document(document.id(), text, document.source(), document.kind(), document.url(), metadata);
        return new Verdict.Keep(extracted, true, text.length() / (double) document.text().length());
    }

    /** HTML by content type; without one, by its first characters. Code is never HTML here. */
    boolean isHtml(Document d) {
        if (DocumentTypes.isCode(d)) {
            return false;
        }
        String type = DocumentTypes.contentType(d);
        if (!type.isEmpty()) {
            return type.startsWith("text/html") || type.startsWith("application/xhtml");
        }
        String head = d.text().substring(0, Math.min(d.text().length(), sniffChars));
        if (PAGE_START.matcher(head).find()) {
            return true;
        }
        var tags = COMMON_TAG.matcher(head.toLowerCase(Locale.ROOT));
        int n = 0;
        while (n < minTags && tags.find()) {
            n++;
        }
        return n >= minTags;
    }
}
