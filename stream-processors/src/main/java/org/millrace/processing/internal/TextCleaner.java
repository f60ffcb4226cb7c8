package org.millrace.processing.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;

/**
 * Strips format from text before the quality classifier sees it, in training and in scoring alike,
 * so that labels cannot be learnt from format (HTML for web pages, reST for the Python manual, mail
 * headers for spam) rather than content: a leading RFC-822 header block, HTML (whole pages through
 * jsoup with navigation, headers, footers and sidebars removed; stray tags and entities elsewhere),
 * reST directive and role names, and Markdown emphasis and link targets.
 */
public final class TextCleaner {
    private static final Pattern HEADER_LINE = Pattern.compile("^[A-Za-z][A-Za-z0-9-]*:[ \\t].*$");
    static final Pattern HTML_PAGE = Pattern.compile("(?i)<!doctype\\s+html|<html[\\s>]|<body[\\s>]|<head[\\s>]");
    private static final Pattern HTML_TAG = Pattern.compile("</?[A-Za-z][A-Za-z0-9]*(\\s[^<>]*)?/?>");
    private static final Pattern HTML_ENTITY = Pattern.compile("&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});");
    private static final Pattern REST_DIRECTIVE = Pattern.compile("(?m)^(\\s*)\\.\\.\\s+(\\|[^|]+\\|\\s+)?[\\w:-]+::");
    private static final Pattern REST_ROLE = Pattern.compile(":[\\w:+.-]+:(?=`)");
    static final Pattern REST_FIELD = Pattern.compile("(?m)^(\\s*):[\\w -]+:(\\s|$)");
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[([^\\]\\n]*)\\]\\([^)\\s]*\\)");
    private static final String BOILERPLATE = "nav, header, footer, aside, script, style, noscript, form, "
            + "[role=navigation], .nav, .navbar, .navheader, .navfooter, .footer, .header, .sidebar, "
            + ".sphinxsidebar, .related, .breadcrumb, .breadcrumbs, .menu, .toc";

    private TextCleaner() {
    }

    public static String clean(String text) {
        String t = stripMailHeaders(text);
        t = stripHtml(t);
        // Each pattern needs a literal that indexOf finds far faster than the matcher's scan can fail.
        if (t.contains("..") && t.contains("::")) {
            t = REST_DIRECTIVE.matcher(t).replaceAll("$1");
        }
        if (t.contains(":`")) {
            t = REST_ROLE.matcher(t).replaceAll("");
        }
        if (mayHoldField(t)) {
            t = REST_FIELD.matcher(t).replaceAll("$1");
        }
        if (t.contains("](")) {
            t = MARKDOWN_LINK.matcher(t).replaceAll("$1");
        }
        return t;
    }

    /** Removes a leading block of at least two {@code Name: value} lines ended by an empty line. */
    static String stripMailHeaders(String text) {
        int at = 0;
        int headers = 0;
        while (at < text.length()) {
            int eol = text.indexOf('\n', at);
            int end = eol < 0 ? text.length() : eol;
            String line = text.substring(at, end).stripTrailing();
            if (line.isEmpty()) {
                return headers >= 2 ? text.substring(Math.min(text.length(), end + 1)) : text;
            }
            boolean continuation = headers > 0 && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (!continuation && !HEADER_LINE.matcher(line).matches()) {
                return text;
            }
            if (!continuation) {
                headers++;
            }
            if (eol < 0) {
                return text;
            }
            at = eol + 1;
        }
        return text;
    }

    /**
     * Whether {@link #REST_FIELD} can match: only at a colon with nothing but {@code \s} characters
     * between it and a line start (the text's start, or after a line terminator). False means no match,
     * so the text is left as it is without running the pattern over it.
     */
    static boolean mayHoldField(String t) {
        for (int colon = t.indexOf(':'); colon >= 0; colon = t.indexOf(':', colon + 1)) {
            int j = colon - 1;
            boolean lineBreak = false;
            while (j >= 0 && isRegexSpace(t.charAt(j))) {
                lineBreak |= t.charAt(j) == '\n' || t.charAt(j) == '\r';
                j--;
            }
            if (j < 0 || lineBreak || t.charAt(j) == '\u0085' || t.charAt(j) == '\u2028' || t.charAt(j) == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /** {@code \s} of java.util.regex without UNICODE_CHARACTER_CLASS: [ \t\n\x0B\f\r]. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /**
     * Whether the first {@code probe} characters hold the start of a whole HTML page: each alternative
     * of {@link #HTML_PAGE} starts with '<', so the pattern is tried only there (a region ending at
     * {@code probe} bounds it as the probe's substring did).
     */
    static boolean looksLikePage(String text, int probe) {
        Matcher m = null;
        for (int lt = text.indexOf('<'); lt >= 0 && lt < probe; lt = text.indexOf('<', lt + 1)) {
            m = m == null ? HTML_PAGE.matcher(text) : m;
            if (m.region(lt, probe).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    static String stripHtml(String text) {
        int probe = Math.min(text.length(), 4096);
        if (looksLikePage(text, probe)) {
            Document page = Jsoup.parse(text);
            page.select(BOILERPLATE).remove();
            return page.body() == null ? page.text() : page.body().wholeText();
        }
        if (text.indexOf('<') < 0 && text.indexOf('&') < 0) {
            return text;
        }
        String t = HTML_TAG.matcher(text).replaceAll(" "); // the same String when no tag matches
        Matcher m = HTML_ENTITY.matcher(t);
        if (!m.find()) {
            // Unchanged text stays the same String: the classifier then reuses the normalisation dedup made of it.
            return t;
        }
        StringBuilder out = new StringBuilder(t.length());
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(Parser.unescapeEntities(m.group(), false)));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }
}
