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

class PiiFilterTest {
    private final PiiFilter filter = PiiFilter.fromConfig(Samples.config());

    private String replaced(String text) {
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, filter.apply(Samples.doc(text, DocumentKind.WEB)));
        return k.document().text();
    }

    @Test
    void spamMessageLosesItsAddressesAndPhoneNumber() {
        String mail = Samples.latin1("mail/spam-cell-phone-clips.eml");
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, filter.apply(Samples.doc(mail, DocumentKind.WEB)));
        assertTrue(k.modified());
        String text = k.document().text();
        assertTrue(text.contains("http://<IP_ADDRESS>:81/sites/merchant/sales/"));
        assertTrue(text.contains("Please Call Us <PHONE>***"));
        assertTrue(text.contains("request to: <EMAIL>"));
        assertTrue(text.contains("From: <EMAIL>"));
        assertFalse(text.contains("751-1457"));
        assertFalse(text.contains("hurst@missouri.co.jp"));
        // Loopback addresses in the Received headers name no one.
        assertTrue(text.contains("(localhost [127.0.0.1])"));
        assertTrue(k.score() >= 8, "replacements: " + k.score());
    }

    @Test
    void frenchContactLineLosesPhonesAndAddress() {
        String text = replaced(Samples.text("text/french-mail.txt"));
        assertTrue(text.contains("Tél : <PHONE> / <PHONE>; E-mail : <EMAIL>"), text.substring(0, 800));
    }

    @Test
    void phoneAndAddressFormats() {
        assertEquals("call <PHONE> or <PHONE>, fax <PHONE>.", replaced("call +44 20 7946 0958 or (555) 123-4567, fax 555.123.4567."));
        assertEquals("server <IP_ADDRESS> and <IP_ADDRESS>", replaced("server 8.8.8.8 and 2606:4700:4700::1111"));
        assertEquals("mail <EMAIL>.", replaced("mail first.last+tag@mail.example.co.uk."));
    }

    @Test
    void numbersThatAreNotPhonesOrPublicAddressesStay() {
        String text = "Released 2023-10-12, version 1.2.3, ISBN 978-0-596-52068-7, range 1999-2005, pi 3.14159265, "
                + "hosts 10.0.0.1 192.168.1.20 127.0.0.1 ::1 fe80::1ff:fe23:4567:890a, C++ std::vector, "
                + "count 1234567890, time 12:30:45, decorator @property and user@localhost.";
        Document d = Samples.doc(text, DocumentKind.WEB);
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, filter.apply(d));
        assertSame(d, k.document(), k.document().text());
        assertFalse(k.modified());
    }
}
