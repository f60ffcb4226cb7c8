package org.millrace.processing.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The piece-cached encoder gives the library's own whole-text ids, id for id: on the project's text
 * (the merges were learned on part of it), on text the vocabulary never saw, and on random Unicode
 * with every kind of whitespace run, contraction and mixed script, encoded twice (cold and cached).
 */
class HfBpePieceCacheTest {

    @Test
    void cachedPiecesGiveTheLibrarysIdsForWholeDocuments() {
        List<String> texts = ProjectText.read(3_000_000);
        String json = new BpeTrainer(2048, 2, 1).train(texts.subList(0, texts.size() / 2)).json();
        // encodeWhole reads a literal <|endoftext|> as the separator, which encode deliberately never does
        List<String> probes = new ArrayList<>(texts.stream().map(t -> t.replace("<|endoftext|>", "<|endoftext|")).toList());
        Random random = new Random(11);
        String[] parts = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", " ", "  ", "   ", "\n", "\n\n", "\t", "\r\n", " \n ",
                "\u00a0", "\u2003", "\u3000", "word", " word", "Wörter", " 漢字", "かな", "123", " 4567", "٣٤", "!!", " ?!", "...",
                "—", "😀", " 😀😀", "x\u0301", "\uD835\uDC00", "'", "''", "<|endoftext", "é", "ß", "İ", "ǅ"};
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(60);
            for (int j = 0; j < n; j++) {
                b.append(parts[random.nextInt(parts.length)]);
            }
            probes.add(b.toString());
        }
        try (HfBpeTokenizer bpe = HfBpeTokenizer.fromJson(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test")) {
            for (int pass = 0; pass < 2; pass++) {
                for (String text : probes) {
                    assertArrayEquals(bpe.encodeWhole(text), bpe.encode(text), () -> "ids of " + abbreviate(text));
                }
            }
            assertTrue(bpe.encode(texts.get(0)).length < texts.get(0).length() / 2, "merges apply");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
