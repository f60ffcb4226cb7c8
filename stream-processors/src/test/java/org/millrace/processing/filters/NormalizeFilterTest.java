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

class NormalizeFilterTest {
    private final NormalizeFilter filter = NormalizeFilter.fromConfig(Samples.config());

    private String normalized(String text, DocumentKind kind) {
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, filter.apply(Samples.doc(text, kind)));
        return k.document().text();
    }

    @Test
    void rawMessageLosesItsHeadersAndKeepsItsSubject() {
        String text = normalized(Samples.latin1("mail/spam-cell-phone-clips.eml"), DocumentKind.WEB);
        assertTrue(text.startsWith("^^^^^Cell Phone Belt Clips $1.95^^^^^^ 18070\n\nCellular Phone Accessories All At"
                + " Below Wholesale Prices!\n\n"), text.substring(0, 120));
        assertFalse(text.contains("Received:"));
        assertFalse(text.contains("X-MimeOLE"));
        String ham = normalized(Samples.latin1("mail/ham-nmh-pick.eml"), DocumentKind.WEB);
        assertTrue(ham.startsWith("Re: New Sequences Window\n\n"), ham.substring(0, 60));
        // The quoted headers inside the body are the body's: they stay.
        assertTrue(ham.contains("Date: Wed, 21 Aug 2002 10:54:46 -0500"));
    }

    @Test
    void textThatMerelyStartsWithAColonIsNotAMessage() {
        String text = "Note: this is prose.\nAlso: more prose.\nAnd: a third line.\n\nBody.";
        Document d = Samples.doc(text, DocumentKind.WEB);
        assertSame(d, ((Verdict.Keep) filter.apply(d)).document());
    }

    @Test
    void mojibakeAndWindows1252ControlsAreRepaired() {
        assertEquals("café – “quoted” it’s", normalized("cafÃ© â€“ â€œquotedâ€\u009d itâ€™s", DocumentKind.WEB));
        assertEquals("l’accompagnateur", normalized("l\u0092accompagnateur", DocumentKind.WEB));
        String french = Samples.text("text/french-mail.txt");
        assertTrue(french.contains("Coach’Invest, l’accompagnateur des jeunes entreprises"));
    }

    @Test
    void invalidUtf8IsRemovedWhenRareAndRejectedWhenNot() {
        String rare = "x".repeat(2000) + "\uFFFD" + " end";
        assertEquals("x".repeat(2000) + " end", normalized(rare, DocumentKind.WEB));
        String damaged = "reiserfsck ist bekannt daf\uFFFDr, da\uFFFD es leere Dateisysteme";
        Verdict.Drop drop = assertInstanceOf(Verdict.Drop.class, filter.apply(Samples.doc(damaged, DocumentKind.WEB)));
        assertEquals("invalid_utf8", drop.reason());
        assertTrue(drop.detail().contains("millrace.curation.normalize.max-invalid-ratio"), drop.detail());
        assertEquals(2.0 / damaged.length(), drop.score(), 1e-12);
        assertEquals("invalid_utf8", ((Verdict.Drop) filter.apply(Samples.doc("a\uD800b" + "c".repeat(10), DocumentKind.WEB))).reason());
    }

    @Test
    void controlsLineBreaksWhitespaceAndNfc() {
        assertEquals("Caf\u00e9 au lait\n\nsecond paragraph\n  indented line",
                normalized("\uFEFF\r\n  \r\nCafe\u0301\u00a0au \u0007lait  \r\n\r\n\r\n\r\nsecond\tparagraph \u200B\n  indented line\n\n",
                        DocumentKind.WEB));
        // Code keeps its spacing and empty lines, loses trailing blanks and carriage returns.
        assertEquals("def f(x):\n\tif x:  # yes\n\n\n\t\treturn  x",
                normalized("def f(x):   \r\n\tif x:  # yes\r\n\r\n\r\n\t\treturn  x\r\n", DocumentKind.CODE));
    }

    @Test
    void normalTextIsKeptAsItIs() {
        Document d = Samples.doc(Samples.text("text/moby-dick-chapter-1.txt").strip(), DocumentKind.WEB);
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, filter.apply(d));
        assertSame(d, k.document());
        assertFalse(k.modified());
    }

    @Test
    void nothingLeftIsDropped() {
        assertEquals("empty", ((Verdict.Drop) filter.apply(Samples.doc(" \u200B\n\u0007 ", DocumentKind.WEB))).reason());
    }
}
