package org.millrace.evaluation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.EvalResult;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.evaluation.EvalSettings;
import org.millrace.evaluation.EvalSuite;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.optim.Autograd;

/**
 * Scoring on models whose output distribution is known by construction: all parameters zero gives the
 * uniform distribution over the vocabulary; all zero but the final LayerNorm's bias and one embedding row
 * gives a fixed distribution in which one byte has logit k and every other logit 0.
 */
class ScoringTest {
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();
    private static final int V = TOKENIZER.vocabSize(); // 257
    private static final GptConfig CONFIG = new GptConfig(V, 48, 8, 1, 2, 0.0, true);
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A model whose every parameter is zero: logits 0, p = 1/V for every token at every position. */
    private static Gpt uniform() {
        Gpt gpt = new Gpt(CONFIG);
        gpt.initialize(manager, 1);
        try (Autograd.Scope ignored = Autograd.disabled()) {
            for (Pair<String, Parameter> p : gpt.getParameters()) {
                p.getValue().getArray().muli(0);
            }
        }
        return gpt;
    }

    /**
     * Zero everywhere except ln_f.bias = e0 and wte[token] = k·e0: whatever the input, the final hidden
     * state is e0, so logit[token] = k and every other logit is 0.
     */
    private static Gpt favouring(int token, float k) {
        Gpt gpt = uniform();
        try (Autograd.Scope ignored = Autograd.disabled()) {
            gpt.getParameters().get("ln_f.bias").getArray().set(new NDIndex(0), 1f);
            gpt.getParameters().get("wte.weight").getArray().set(new NDIndex(token, 0), k);
        }
        return gpt;
    }

    @Test
    void uniformModelHasBitsPerByteLog2OfVocabularyOverBytesPerToken() {
        // byte tokens: one byte per token, so bpb = log2(257); texts longer than the context span several windows
        List<String> texts = List.of("Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse.",
                "x", "déjà vu — ✓");
        BitsPerByteBenchmark bpb = BitsPerByteBenchmark.of("bpb", texts, TOKENIZER, 0);
        List<Score> scores = bpb.run(new LanguageModel(uniform(), manager, TOKENIZER, 3));
        double expected = Math.log(V) / Math.log(2);
        assertEquals("bits_per_byte", scores.get(0).metric());
        assertEquals(expected, scores.get(0).value(), 1e-5);
        assertEquals(Math.log(V), scores.get(1).value(), 1e-5, "loss is ln V nats per token");
        long bytes = texts.stream().mapToLong(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
        assertEquals(bytes, scores.get(1).n(), "every byte predicted exactly once");
        assertEquals(0, scores.get(0).stderr(), 1e-6, "every text has the same bits per byte");
    }

    @Test
    void bytesCapCutsTheTextsInOrder() {
        BitsPerByteBenchmark bpb = BitsPerByteBenchmark.of("bpb", List.of("abcdef", "ghij", "klm"), TOKENIZER, 8);
        assertEquals(8, bpb.bytes());
        assertEquals(2, bpb.size());
        assertEquals("a\u00e9", BitsPerByteBenchmark.cut("a\u00e9\u00e9", 4), "never half a character");
    }

    @Test
    void knownLogitsGiveHandComputedLikelihoodsAndChoices() {
        float k = 10f;
        Gpt gpt = favouring('a', k);
        LanguageModel lm = new LanguageModel(gpt, manager, TOKENIZER, 2);
        double z = Math.exp(k) + (V - 1);
        double logPa = k - Math.log(z);     // ≈ -0.0115
        double logPOther = -Math.log(z);    // ≈ -10.011
        double[] ll = lm.logLikelihoods(List.of(
                new LanguageModel.Request(TOKENIZER.encode("Q:"), TOKENIZER.encode("aaa")),
                new LanguageModel.Request(TOKENIZER.encode("Q:"), TOKENIZER.encode("ab")),
                new LanguageModel.Request(new int[0], TOKENIZER.encode("b"))));
        assertEquals(3 * logPa, ll[0], 1e-4);
        assertEquals(logPa + logPOther, ll[1], 1e-4);
        assertEquals(logPOther, ll[2], 1e-4);

        // ll(" aaaa") = lo + 4·la ≈ -10.06 beats ll(" b") = 2·lo ≈ -20.02: acc and acc_norm right
        // ll(" a") ≈ -10.02 beats gold ll(" bb") ≈ -30.03, also per character: both wrong
        // gold " " + 10 a ≈ -10.13 beats " b" ≈ -20.02: both right
        // ll(" a") ≈ -10.02 beats gold " " + 20 a ≈ -10.24, but per character -5.01 < -0.49: acc wrong, acc_norm right
        List<EvalItem> items = List.of(
                EvalItem.choice("1", "t", null, null, "Q:", List.of(" aaaa", " b"), 0),
                EvalItem.choice("2", "t", null, null, "Q:", List.of(" a", " bb"), 1),
                EvalItem.choice("3", "t", null, null, "Q:", List.of(" b", " " + "a".repeat(10)), 1),
                EvalItem.choice("4", "t", null, null, "Q:", List.of(" a", " " + "a".repeat(20)), 1));
        List<Score> scores = new MultipleChoiceBenchmark("mc", items, TOKENIZER).run(lm);
        assertEquals(2.0 / 4, scores.get(0).value(), 1e-9);
        assertEquals(3.0 / 4, scores.get(1).value(), 1e-9);
        assertEquals(4, scores.get(0).n());
        assertEquals(Math.sqrt(0.5 * 0.5 / 3), scores.get(0).stderr(), 1e-9, "sample stderr of a proportion: sqrt(p(1-p)/(n-1))");
    }

    @Test
    void lengthNormalisationChangesTheChoiceWhereHandComputationSaysSo() {
        // uniform model: every character costs ln V, so acc prefers the shortest choice and acc_norm ties (first wins)
        LanguageModel lm = new LanguageModel(uniform(), manager, TOKENIZER, 4);
        List<EvalItem> items = List.of(EvalItem.choice("1", "t", null, null, "ctx", List.of(" long answer", " yes"), 0));
        List<Score> scores = new MultipleChoiceBenchmark("mc", items, TOKENIZER).run(lm);
        assertEquals(0.0, scores.get(0).value(), "acc takes the shorter ' yes'");
        assertEquals(1.0, scores.get(1).value(), "acc_norm ties, and ties go to the first choice");
    }

    @Test
    void greedyExactMatchStopsAtTheLineAndComparesIt() {
        LanguageModel newlines = new LanguageModel(favouring('\n', 6f), manager, TOKENIZER, 4);
        assertEquals("", newlines.greedyLine(">>> x = 1\n", 8));
        LanguageModel as = new LanguageModel(favouring('a', 6f), manager, TOKENIZER, 4);
        assertEquals("aaaaa", as.greedyLine(">>> 'a' * 3\n", 5), "no newline: stops after max tokens");
        List<EvalItem> items = List.of(EvalItem.exact("1", "t", null, null, ">>> x = 1\n", ""),
                EvalItem.exact("2", "t", null, null, ">>> 2 + 2\n", "4"));
        assertEquals(0.5, new ExactMatchBenchmark("em", items, TOKENIZER, 16).run(newlines).get(0).value());
        assertEquals(0.0, new ExactMatchBenchmark("em", items.subList(1, 2), TOKENIZER, 16).run(as).get(0).value());
    }

    @Test
    void greedyDecodingWithTheCacheEqualsArgmaxOfFullForwardPasses() {
        Gpt gpt = new Gpt(new GptConfig(V, 32, 16, 2, 2, 0.0, true));
        gpt.initialize(manager, 42);
        try (Autograd.Scope ignored = Autograd.disabled()) {
            for (Pair<String, Parameter> p : gpt.getParameters()) {
                if (p.getKey().endsWith("weight") && !p.getKey().contains("ln")) {
                    p.getValue().getArray().muli(40); // sharpen the random model so that its argmax is stable
                }
            }
        }
        String prompt = "def f(x):\n    return";
        String cached = new LanguageModel(gpt, manager, TOKENIZER, 1).greedyLine(prompt, 10);
        List<Integer> ids = new ArrayList<>();
        for (int id : TOKENIZER.encode(prompt)) {
            ids.add(id);
        }
        List<Integer> plain = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int next;
            try (NDManager m = manager.newSubManager()) {
                int[] arr = ids.stream().mapToInt(Integer::intValue).toArray();
                NDArray logits = gpt.logits(m.create(arr, new Shape(1, arr.length)), null); // (1, T, V)
                next = (int) logits.get(0, arr.length - 1).argMax().getLong();
            }
            if (next == '\n' || next == TOKENIZER.endOfText()) {
                break;
            }
            ids.add(next);
            plain.add(next);
        }
        assertEquals(TOKENIZER.decode(plain.stream().mapToInt(Integer::intValue).toArray()), cached);
        assertTrue(plain.size() > 2, "the comparison covers several generated tokens");
    }

    @Test
    void aSuiteScoresTheSameModelTheSameWay() {
        Gpt gpt = new Gpt(CONFIG);
        gpt.initialize(manager, 7);
        EvalSettings settings = new EvalSettings(1, 3, 0, 0, 8, List.of(), false);
        EvalSuite suite = new EvalSuite(List.of(
                BitsPerByteBenchmark.of("bpb", List.of("The quick brown fox jumps over the lazy dog.", "print(1)"), TOKENIZER, 0),
                new MultipleChoiceBenchmark("mc", List.of(EvalItem.choice("1", "t", null, null, "Sky:", List.of(" blue", " green"), 0)),
                        TOKENIZER),
                new ExactMatchBenchmark("em", List.of(EvalItem.exact("1", "t", null, null, ">>> 1\n", "1")), TOKENIZER, 8)),
                TOKENIZER, settings);
        EvalSuite.Origin origin = new EvalSuite.Origin("r", "c", 1, 2);
        List<EvalResult> first = suite.evaluate(gpt, manager, origin);
        List<EvalResult> second = suite.evaluate(gpt, manager, origin);
        assertEquals(5, first.size(), "bits_per_byte, loss, acc, acc_norm, exact_match");
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).value(), second.get(i).value(), 0.0, first.get(i).task() + " " + first.get(i).metric());
        }
        double bpb = first.get(0).value();
        assertTrue(bpb > 7 && bpb < 9, "an untrained model is near log2(257) = 8.006 bits per byte: " + bpb);
        assertEquals(Map.of("run", "r", "step", 1L), Map.of("run", first.get(0).run(), "step", first.get(0).step()));
    }
}
