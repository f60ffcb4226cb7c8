package org.millrace.processing.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Tokenizer;

/** decode(encode(x)) == x for any well-formed Unicode text, for every tokenizer Millrace offers. */
class RoundTripProperties {
    private static final String EOT = "<|endoftext|>";
    private static HfBpeTokenizer bpe;
    private static final Tokenizer BYTES = new ByteTokenizer();
    private static final Tokenizer R50K = new JtokkitTokenizer(JtokkitTokenizer.Kind.R50K);
    private static final Tokenizer CL100K = new JtokkitTokenizer(JtokkitTokenizer.Kind.CL100K);

    /**
     * A BPE trained on the project's text plus random text from every plane, so that it has learned
     * tokens that end or start inside a multi-byte UTF-8 character.
     */
    @BeforeContainer
    static void trainBpe() throws Exception {
        List<String> texts = new ArrayList<>(ProjectText.read(300_000));
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 200; j++) {
                int cp = random.nextInt(8) == 0 ? 0x1F600 + random.nextInt(64) : 0x4E00 + random.nextInt(256);
                sb.appendCodePoint(cp);
            }
            texts.add(sb.toString());
        }
        Path file = Files.createTempFile("millrace-roundtrip", ".json");
        Files.writeString(file, new BpeTrainer(1024, 2, 2).train(texts).json());
        bpe = HfBpeTokenizer.load(file);
        Files.delete(file);
    }

    @AfterContainer
    static void close() {
        bpe.close();
    }

    @Provide
    Arbitrary<String> unicodeText() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.of((int) ' ', (int) '\n', (int) '\t', (int) '\r', 0x0B, 0xA0, 0x3000, 0x2028)),
                Tuple.of(1, Arbitraries.integers().between(0x00, 0x1F)),
                Tuple.of(1, Arbitraries.integers().between(0x7F, 0x9F)),
                Tuple.of(2, Arbitraries.integers().between(0x0300, 0x036F)),
                Tuple.of(3, Arbitraries.integers().between(0xA0, 0xD7FF)),
                Tuple.of(2, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(3, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(2, Arbitraries.of(0x1F600, 0x1F469, 0x200D, 0xFE0F, 0x1F3FD, 0x4E2D, 0x6587, 0x0915, 0x094D)));
        return codePoint.list().ofMaxSize(80).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    /** Random text with the separator's own text spliced in. */
    @Provide
    Arbitrary<String> textQuotingTheSeparator() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20).list().ofMinSize(2).ofMaxSize(5)
                .map(parts -> String.join(EOT, parts));
    }

    private static void assertRoundTrip(Tokenizer tokenizer, String text) {
        int[] ids = tokenizer.encode(text);
        assertEquals(text, tokenizer.decode(ids), () -> tokenizer.name() + " on " + text.codePoints().mapToObj(Integer::toHexString).toList());
        assertFalse(Arrays.stream(ids).anyMatch(id -> id == tokenizer.endOfText()), "document text never yields end-of-text");
    }

    @Property(tries = 1500)
    void bpe(@ForAll("unicodeText") String text) {
        assertRoundTrip(bpe, text);
    }

    @Property(tries = 1500)
    void bytes(@ForAll("unicodeText") String text) {
        assertRoundTrip(BYTES, text);
    }

    @Property(tries = 1500)
    void r50k(@ForAll("unicodeText") String text) {
        assertRoundTrip(R50K, text);
    }

    @Property(tries = 1500)
    void cl100k(@ForAll("unicodeText") String text) {
        assertRoundTrip(CL100K, text);
    }

    @Property(tries = 200)
    void theSeparatorsTextIsOrdinaryText(@ForAll("textQuotingTheSeparator") String text) {
        for (Tokenizer t : List.of(bpe, BYTES, R50K, CL100K)) {
            assertRoundTrip(t, text);
        }
    }
}
