package org.millrace.processing.filters.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * The main text of an HTML page without its boilerplate. jsoup parses (as browsers do, whatever the
 * markup's state); the choice of what is boilerplate is this project's: hand-written because the
 * well-known extractors (trafilatura, readability, boilerpipe) are Python, JavaScript or unmaintained
 * Java. The rules, in order:
 * <ol>
 * <li>elements that never carry readable text go: scripts, styles, forms, media, templates;</li>
 * <li>the page's own declaration of its main content ({@code <main>}, {@code role=main}, the
 *     largest {@code <article>}) is the root when it holds text; otherwise {@code <body>};</li>
 * <li>inside the root, boilerplate goes: navigation, headers and footers outside articles, sidebars,
 *     by tag, ARIA role, or class/id words (nav, menu, sidebar, footer, cookie, consent, banner,
 *     share, related, breadcrumb, advert...), and hidden elements;</li>
 * <li>lists, tables and divisions whose text is mostly link text go (menus without names);</li>
 * <li>permalink anchors (a lone symbol linking to {@code #...}) go.</li>
 * </ol>
 * The rest is rendered as text with paragraph breaks: blocks are separated by an empty line, list
 * items, table rows and definition terms by a line break, {@code <pre>} keeps its lines.
 */
public final class MainTextExtractor {
    private static final String NEVER_TEXT = "script, style, noscript, template, svg, canvas, iframe, object, embed, "
            + "video, audio, picture, map, form, button, input, select, textarea, option, link, meta, base, dialog";
    private static final Set<String> BOILERPLATE_TAGS = Set.of("nav", "aside", "menu");
    private static final Set<String> BOILERPLATE_ROLES = Set.of("navigation", "banner", "contentinfo", "complementary",
            "search", "menu", "menubar", "dialog", "alertdialog", "toolbar");
    /** Class or id words (a whole class token, or one of its parts split at '-' or '_') of boilerplate. */
    private static final Set<String> BOILERPLATE_WORDS = Set.of("nav", "navbar", "navigation", "menu", "menubar",
            "sidebar", "footer", "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr", "banner",
            "advert", "advertisement", "ads", "ad", "sponsor", "sponsored", "promo", "share", "sharing", "social",
            "related", "newsletter", "subscribe", "popup", "modal", "skip", "pagination", "pager", "sharebar",
            "toolbar", "masthead", "topbar", "comments", "disqus", "signup", "login", "outbrain", "taboola");
    /** Words that mark boilerplate even inside a longer class token ({@code sphinxsidebar}, {@code cookiebar}). */
    private static final List<String> BOILERPLATE_INFIXES = List.of("sidebar", "navbar", "cookie", "footer",
            "breadcrumb", "consent");
    private static final Pattern HIDDEN_STYLE = Pattern.compile("(?i)display\\s*:\\s*none|visibility\\s*:\\s*hidden");
    private static final Set<String> PARAGRAPH_BLOCKS = Set.of("address", "article", "aside", "blockquote", "body",
            "center", "details", "div", "dl", "fieldset", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
            "header", "hgroup", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul", "caption", "summary");
    private static final Set<String> LINE_BLOCKS = Set.of("li", "dt", "dd", "tr", "figcaption", "br", "option");
    private static final Set<String> CELLS = Set.of("td", "th");
    private static final Set<String> LINK_DENSE_CANDIDATES = Set.of("ul", "ol", "dl", "table", "div", "section");
    private static final int MIN_ROOT_LETTERS = 100;
    /** An element named like boilerplate is kept when it holds more than this share of the root's letters. */
    private static final double MAX_NAMED_SHARE = 0.5;

    private final double maxLinkDensity;

    /** @param maxLinkDensity lists, tables and divisions with a larger share of letters inside links go */
    public MainTextExtractor(double maxLinkDensity) {
        this.maxLinkDensity = maxLinkDensity;
    }

    /** The main text of {@code html}, blocks separated by empty lines; empty when there is none. */
    public String extract(String html) {
        Document page = Jsoup.parse(html);
        page.select(NEVER_TEXT).remove();
        Element root = mainRoot(page);
        removeBoilerplate(root, letters(root.text()));
        pruneLinkDense(root);
        return TextRenderer.render(root);
    }

    private static Element mainRoot(Document page) {
        Element best = null;
        int bestLetters = 0;
        for (Element e : page.select("main, [role=main], article")) {
            int n = letters(e.text());
            if (n > bestLetters) {
                best = e;
                bestLetters = n;
            }
        }
        return best != null && bestLetters >= MIN_ROOT_LETTERS ? best : page.body();
    }

    private static void removeBoilerplate(Element e, int rootLetters) {
        for (Element child : e.children()) {
            if (isBoilerplate(child) || isPermalink(child)
                    || (isNamedBoilerplate(child) && letters(child.text()) <= MAX_NAMED_SHARE * rootLetters)) {
                child.remove();
            } else {
                removeBoilerplate(child, rootLetters);
            }
        }
    }

    /** Boilerplate by tag, ARIA role or hidden state: removed whatever its size. */
    private static boolean isBoilerplate(Element e) {
        String tag = e.normalName();
        if (BOILERPLATE_TAGS.contains(tag)) {
            return true;
        }
        if ((tag.equals("header") || tag.equals("footer")) && e.closest("article, main, [role=main]") == null) {
            return true;
        }
        if (e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden"))
                || (e.hasAttr("style") && HIDDEN_STYLE.matcher(e.attr("style")).find())) {
            return true;
        }
        String role = e.attr("role").toLowerCase(Locale.ROOT);
        return !role.isEmpty() && BOILERPLATE_ROLES.contains(role);
    }

    /**
     * Boilerplate by a class or id word. Ids of sections and articles are not looked at (they are
     * anchors made from headings: a manual's "cookie-objects" section is content), and the caller
     * keeps a named element that holds most of the page's text (a page about cookies).
     */
    private static boolean isNamedBoilerplate(Element e) {
        String tag = e.normalName();
        boolean idIsAnchor = tag.equals("section") || tag.equals("article") || tag.startsWith("h");
        return hasBoilerplateWord(e.className()) || (!idIsAnchor && hasBoilerplateWord(e.id()));
    }

    private static boolean hasBoilerplateWord(String names) {
        if (names.isEmpty()) {
            return false;
        }
        for (String token : names.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (BOILERPLATE_WORDS.contains(token)) {
                return true;
            }
            for (String part : token.split("[-_]")) {
                if (BOILERPLATE_WORDS.contains(part) || part.startsWith("nav")) { // navheader, navlinks
                    return true;
                }
            }
            for (String infix : BOILERPLATE_INFIXES) {
                if (token.contains(infix)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A "¶" or "#" anchor that links to its own heading: navigation chrome, not text. */
    private static boolean isPermalink(Element e) {
        if (!e.normalName().equals("a") || !e.attr("href").startsWith("#")) {
            return false;
        }
        String text = e.text().strip();
        return text.length() == 1 && !Character.isLetterOrDigit(text.charAt(0));
    }

    /**
     * Removes, innermost first, lists, tables and divisions whose letters are mostly inside links;
     * returns {letters, letters inside links} of what is left of {@code e}, or null when e itself went.
     * Innermost first: a section keeps its introduction when only its list of links goes.
     */
    private int[] pruneLinkDense(Element e) {
        int[] own = new int[2];
        boolean isLink = e.normalName().equals("a");
        for (Node child : e.childNodes().toArray(new Node[0])) {
            if (child instanceof TextNode t) {
                int n = letters(t.getWholeText());
                own[0] += n;
                if (isLink) {
                    own[1] += n;
                }
            } else if (child instanceof Element c) {
                int[] sub = pruneLinkDense(c);
                if (sub != null) {
                    own[0] += sub[0];
                    own[1] += isLink ? sub[0] : sub[1];
                }
            }
        }
        if (e.parent() != null && LINK_DENSE_CANDIDATES.contains(e.normalName()) && own[0] > 0
                && own[1] > maxLinkDensity * own[0]) {
            e.remove();
            return null;
        }
        return own;
    }

    static int letters(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetterOrDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    /** Renders an element tree as text with paragraph and line breaks. */
    static final class TextRenderer {
        private final StringBuilder out = new StringBuilder();
        /** 0: none, 1: line break, 2: empty line; the strongest asked for since the last text. */
        private int pendingBreak;
        private int preDepth;
        private boolean spacePending;

        static String render(Element root) {
            TextRenderer r = new TextRenderer();
            r.walk(root);
            return r.out.toString().strip();
        }

        private void walk(Element e) {
            String tag = e.normalName();
            boolean pre = tag.equals("pre") || tag.equals("textarea");
            opening(tag);
            if (pre) {
                preDepth++;
            }
            for (Node child : e.childNodes()) {
                if (child instanceof TextNode t) {
                    text(t.getWholeText());
                } else if (child instanceof Element c) {
                    walk(c);
                }
            }
            if (pre) {
                preDepth--;
            }
            closing(tag);
        }

        private void opening(String tag) {
            if (PARAGRAPH_BLOCKS.contains(tag)) {
                pendingBreak = 2;
            } else if (LINE_BLOCKS.contains(tag)) {
                pendingBreak = Math.max(pendingBreak, 1);
            } else if (CELLS.contains(tag)) {
                spacePending = true;
            }
        }

        private void closing(String tag) {
            if (PARAGRAPH_BLOCKS.contains(tag)) {
                pendingBreak = 2;
            } else if (LINE_BLOCKS.contains(tag)) {
                pendingBreak = Math.max(pendingBreak, 1);
            } else if (CELLS.contains(tag)) {
                spacePending = true;
            }
        }

        private void text(String s) {
            if (preDepth > 0) {
                if (!s.isEmpty()) {
                    breakIfPending();
                    out.append(s);
                }
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c) || c == '\u00A0') {
                    spacePending = true;
                    continue;
                }
                if (breakIfPending()) {
                    spacePending = false;
                }
                if (spacePending) {
                    char last = out.length() == 0 ? '\n' : out.charAt(out.length() - 1);
                    if (last != '\n' && last != ' ') {
                        out.append(' ');
                    }
                    spacePending = false;
                }
                out.append(c);
            }
        }

        /** Writes the pending break if there is one and text came before; true if a break was written. */
        private boolean breakIfPending() {
            if (pendingBreak == 0) {
                return false;
            }
            int level = pendingBreak;
            pendingBreak = 0;
            if (out.length() == 0) {
                return true;
            }
            int trailing = 0;
            while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
                out.setLength(out.length() - 1);
            }
            for (int i = out.length() - 1; i >= 0 && out.charAt(i) == '\n'; i--) {
                trailing++;
            }
            for (int i = trailing; i < level; i++) {
                out.append('\n');
            }
            return true;
        }
    }
}
