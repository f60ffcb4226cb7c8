package org.millrace.producers.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.millrace.producers.corpus.internal.BrownDetagger;

class BrownDetaggerTest {

    @Test
    void tagsAreStrippedQuotesAndPunctuationAttachedParagraphsKept() {
        String tagged = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' was/bedz found/vbn ./.\n"
                + "It/pps met/vbd Mayor/nn-tl Ivan/np Allen/np Jr./np ./.\n\n\n"
                + "\tCosts/nns (/( about/rb 1/2/cd )/) rose/vbd ,/, he/pps said/vbd ;/. ;/.\n";
        assertEquals("The jury said \"no evidence\" was found. It met Mayor Ivan Allen Jr.\n\n"
                + "Costs (about 1/2) rose, he said;;", BrownDetagger.detag(tagged));
    }
}
