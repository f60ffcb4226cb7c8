package org.millrace.processing.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;

class HtmlExtractFilterTest {
    /** Pages of the Python manual with their reST sources (see src/test/resources/filters/README.md). */
    private static final List<String> PAGES = List.of("library/tty", "library/html", "library/getpass",
            "tutorial/appetite", "tutorial/interpreter", "tutorial/venv");
    /** Per-page floor; the whole manual scores 0.98 (docs/curation-filters.md). */
    private static final double PAGE_F1_FLOOR = 0.90;

    private final HtmlExtractFilter filter = HtmlExtractFilter.fromConfig(Samples.config());

    private Verdict.Keep extract(Document d) {
        return assertInstanceOf(Verdict.Keep.class, filter.apply(d));
    }

    @Test
    void extractedPythonManualPagesMatchTheirRestSourcesToken() throws Exception {
        ExtractionScore total = ExtractionScore.zero();
        for (String page : PAGES) {
            Document html = Samples.doc(Samples.text("python-doc/html/" + page + ".html"), DocumentKind.WEB, "text/html");
            String text = extract(html).document().text();
            ExtractionScore score = ExtractionScore.of(text, RestPlainText.of(Samples.text("python-doc/rst/" + page + ".rst.txt")));
            assertTrue(score.f1() >= PAGE_F1_FLOOR, page + ": F1 " + score.f1() + " (precision " + score.precision()
                    + ", recall " + score.recall() + ")");
            total = total.plus(score);
        }
        assertTrue(total.f1() >= 0.95, "micro F1 over the pages: " + total.f1());
        // The evaluation the bench suite runs on the whole manual gives the same on these pages.
        Path root = Path.of(HtmlExtractFilterTest.class.getResource("/filters/python-doc").toURI());
        ExtractionEvaluation.Result r = ExtractionEvaluation.run(root.resolve("html"), root.resolve("rst"), filter);
        assertEquals(PAGES.size(), r.pages());
        assertEquals(total, r.micro());
        assertTrue(r.macroF1() >= PAGE_F1_FLOOR && r.htmlBytes() > 100_000, r.toString());
    }

    @Test
    void sphinxChromeIsGoneAndParagraphsStay() {
        Document html = Samples.doc(Samples.text("python-doc/html/library/tty.html"), DocumentKind.WEB, "text/html");
        Verdict.Keep kept = extract(html);
        String text = kept.document().text();
        assertTrue(kept.modified());
        for (String chrome : List.of("Table of Contents", "Previous topic", "Next topic", "This Page", "Show Source",
                "Report a Bug", "Quick search", "Navigation", "\u00b6", "Python Software Foundation")) {
            assertFalse(text.contains(chrome), "boilerplate left: " + chrome);
        }
        assertTrue(text.startsWith("tty — Terminal control functions\n\n"), text.substring(0, 80));
        assertTrue(text.contains("\n\nThe tty module defines functions for putting the tty into cbreak and raw modes.\n\n"));
        assertEquals("text/plain", kept.document().metadata().get("content_type"));
        assertEquals("text/html", kept.document().metadata().get("extracted_from"));
    }

    @Test
    void webPageLosesNavigationCookieBannerSidebarFooterAndScripts() {
        String article = "Millraces were dug to carry water from a river or pond to a mill wheel. The race above the "
                + "wheel is the head race, the one below it the tail race.";
        String html = "<html><head><title>Millraces</title><script>var tracking = 1;</script><style>p{}</style></head>"
                + "<body><header><a href='/'>Home</a> <a href='/about'>About</a></header>"
                + "<div id='cookie-banner'>This site uses cookies. <button>Accept all</button></div>"
                + "<div class='layout'><div class='menu'><ul><li><a href='/a'>Water</a></li><li><a href='/b'>Wheels</a></li>"
                + "<li><a href='/c'>Stones</a></li></ul></div>"
                + "<div class='content'><h1>Millraces</h1><p>" + article + "</p><p>A <a href='/weir'>weir</a> keeps the "
                + "head race full.</p><pre>head race\n  tail race</pre></div>"
                + "<aside>Related: <a href='/x'>Windmills</a></aside></div>"
                + "<footer>© 2024 Mill Society · <a href='/privacy'>Privacy policy</a></footer></body></html>";
        String text = extract(Samples.doc(html, DocumentKind.WEB)).document().text();
        assertEquals("Millraces\n\n" + article + "\n\nA weir keeps the head race full.\n\nhead race\n  tail race", text);
    }

    @Test
    void pageWithoutMainTextIsDropped() {
        String html = "<!DOCTYPE html><html><body><nav><a href='/a'>One</a> <a href='/b'>Two</a></nav>"
                + "<footer>Imprint</footer></body></html>";
        Verdict.Drop drop = assertInstanceOf(Verdict.Drop.class, filter.apply(Samples.doc(html, DocumentKind.WEB)));
        assertEquals("no_main_text", drop.reason());
    }

    @Test
    void onlyHtmlIsExtracted() {
        String html = "<p>One <b>two</b></p><p>three</p><div>four</div><br><a href='x'>five</a>";
        // No content type: sniffed by its tags.
        assertEquals("One two\n\nthree\n\nfour\n\nfive", extract(Samples.doc(html, DocumentKind.WEB)).document().text());
        // Typed as something else, or code: untouched.
        Document plain = Samples.doc(html, DocumentKind.WEB, "text/plain");
        assertSame(plain, extract(plain).document());
        Document code = Samples.doc("String s = \"<p>\" + x + \"</p><div><br><a href='x'>\";", DocumentKind.CODE);
        assertSame(code, extract(code).document());
        Document prose = Samples.doc("Use x < y and y > z, as in <this> example.", DocumentKind.WEB);
        assertSame(prose, extract(prose).document());
    }
}
