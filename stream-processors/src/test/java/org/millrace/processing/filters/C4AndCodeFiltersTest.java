package org.millrace.processing.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;

class C4AndCodeFiltersTest {
    private static final String MOBY = Samples.text("text/moby-dick-chapter-1.txt").strip();
    private final C4LinesFilter c4 = C4LinesFilter.fromConfig(Samples.config());
    private final CodeQualityFilter code = CodeQualityFilter.fromConfig(Samples.config());

    @Test
    void c4KeepsProseLinesAndParagraphsAndCutsTheRest() {
        String page = "Home | About | Contact\n\n" + MOBY + "\n\nShare this chapter\nThis site uses cookies to improve "
                + "your experience, see our cookie policy.\nPlease enable JavaScript to view the comments powered by us.\n"
                + "Ahab is mentioned here too.[1]\nOk.";
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, c4.apply(Samples.doc(page, DocumentKind.WEB)));
        assertTrue(k.modified());
        String text = k.document().text();
        // The menu line has no terminal punctuation: gone, as are the policy and javascript lines.
        assertTrue(text.startsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael."), text.substring(0, 40));
        assertTrue(text.contains(" with me.\n\nThere now is your insular city"), "paragraph breaks stay");
        assertFalse(text.contains("Home | About"));
        assertFalse(text.contains("cookie"));
        assertFalse(text.contains("JavaScript"));
        assertTrue(text.endsWith("Ahab is mentioned here too."), text.substring(text.length() - 40));
    }

    @Test
    void c4DropsWholeDocumentsForLoremIpsumBracesAndTooFewSentences() {
        assertEquals("lorem_ipsum", reason(c4.apply(Samples.doc(MOBY + "\nLorem ipsum dolor sit amet, consectetur.", DocumentKind.WEB))));
        assertEquals("curly_bracket", reason(c4.apply(Samples.doc(MOBY + "\nfunction f() { return 1; } is code.", DocumentKind.WEB))));
        assertEquals("too_few_sentences", reason(c4.apply(Samples.doc("Call me Ishmael. Some years ago I went to sea.",
                DocumentKind.WEB))));
        // The braces of a line that goes anyway (no terminal punctuation) do not drop the document.
        assertInstanceOf(Verdict.Keep.class, c4.apply(Samples.doc(MOBY + "\nvar x = {a: 1}", DocumentKind.WEB)));
        // Textbooks are not judged by C4 by default.
        Document manual = Samples.doc("Dictionaries: {'a': 1}", DocumentKind.TEXTBOOK);
        assertSame(manual, ((Verdict.Keep) c4.apply(manual)).document());
    }

    @Test
    void codeRules() {
        Document colorsys = Samples.doc(Samples.text("code/colorsys.py"), DocumentKind.CODE);
        assertSame(colorsys, ((Verdict.Keep) code.apply(colorsys)).document());
        Verdict.Drop generated = assertInstanceOf(Verdict.Drop.class,
                code.apply(Samples.doc(Samples.text("code/token.py"), DocumentKind.CODE)));
        assertEquals("auto_generated", generated.reason());
        assertTrue(generated.detail().contains("auto-generated"), generated.detail());
        String minified = Samples.text("code/colorsys.py") + "\nDATA = '" + "ab12".repeat(300) + "'\n";
        assertEquals("long_line", reason(code.apply(Samples.doc(minified, DocumentKind.CODE))));
        String wide = Samples.text("code/colorsys.py").replace("\n\n", "\n").replaceAll("(?m)^", " ".repeat(90) + "# ");
        assertEquals("long_mean_line", reason(code.apply(Samples.doc(wide, DocumentKind.CODE))));
        String symbols = "x = [" + "0x00, ".repeat(10) + "]\n";
        assertEquals("low_alphanumeric", reason(code.apply(Samples.doc(("# table\n" + symbols.replace("0x00", "'-'")).repeat(5),
                DocumentKind.CODE))));
        // Prose is not judged by code rules, but a web document typed as Python is.
        Document prose = Samples.doc(MOBY, DocumentKind.WEB);
        assertSame(prose, ((Verdict.Keep) code.apply(prose)).document());
        assertEquals("auto_generated", reason(code.apply(Samples.doc(Samples.text("code/token.py"), DocumentKind.WEB,
                "text/x-python"))));
    }

    private static String reason(Verdict v) {
        return assertInstanceOf(Verdict.Drop.class, v).reason();
    }
}
