package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.Verdict;
import org.millrace.processing.internal.HashedNgrams;

/** Trains a small classifier once on the checked-in seeds (about 120 excerpts of the corpus). */
class EduClassifierTest {
    @TempDir
    static Path models;
    static List<LabelledText> seeds;
    static EduClassifierTrainer.Trained trained;
    static ClassifierSettings settings;

    static ClassifierSettings settings(Path dir) {
        return new ClassifierSettings(dir, "latest", 1 << 14, 8, 4096,
                new ClassifierSettings.Train(128, 4, 1000, 0.3, 8, 16, 0.02, 42, 1), 0.8, 0.02);
    }

    static List<LabelledText> seeds() throws IOException {
        List<LabelledText> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                EduClassifierTest.class.getResourceAsStream("/samples/classifier-seeds.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode n = Json.MAPPER.readTree(line);
                out.add(new LabelledText(n.get("text").asText(), n.get("positive").asBoolean(), n.get("source").asText(),
                        n.get("group").asText()));
            }
        }
        return out;
    }

    @BeforeAll
    static void train() throws IOException {
        seeds = seeds();
        settings = settings(models);
        trained = new EduClassifierTrainer(settings, m -> { }).train(seeds);
    }

    @Test
    void beatsAFloorOnTheHeldOutDocumentsAndWritesAVersionedModelWithItsReport() throws IOException {
        ClassifierReport report = trained.version().report();
        assertEquals("v1", report.model());
        assertTrue(report.f1() >= 0.8, "held-out F1 " + report.f1());
        assertTrue(report.rocAuc() >= 0.9, "held-out ROC-AUC " + report.rocAuc());
        assertTrue(report.heldOutGroups() >= 10 && report.trainExamples() > report.heldOutExamples(), report.toString());
        Path dir = models.resolve("v1");
        for (String file : List.of(EduClassifier.MODEL_JSON, EduClassifier.PARAMETERS, ClassifierModels.REPORT)) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
        }
        JsonNode json = Json.MAPPER.readTree(dir.resolve(ClassifierModels.REPORT).toFile());
        for (String field : List.of("precision", "recall", "f1", "roc_auc")) {
            assertTrue(json.get(field).isNumber(), field + " in " + json);
        }
        assertEquals(dir, ClassifierModels.latest(models).orElseThrow().dir());
    }

    @Test
    void scoringIsDeterministicAndTheStoredModelScoresAsTheTrainedOne() {
        EduClassifier loaded = EduClassifier.load(trained.version().dir());
        for (LabelledText s : seeds) {
            double score = trained.classifier().score(s.text());
            assertTrue(score >= 0 && score <= 1, "score " + score);
            assertEquals(score, trained.classifier().score(s.text()));
            assertEquals(score, loaded.score(s.text()));
        }
    }

    @Test
    void formatIsStrippedBeforeFeaturesAreTaken() {
        String text = "The buffer protocol gives access to an object's memory.";
        int[] plain = HashedNgrams.of(text, 1 << 14, 100);
        String mail = "From: someone@example.com\nSubject: hello\nContent-Type: text/plain\n\n" + text;
        String html = "<!DOCTYPE html><html><head><title>x</title></head><body><nav>Home | Next</nav><p>" + text
                + "</p><div class=\"footer\">Copyright</div></body></html>";
        String rest = ".. note::\n\n   The :c:func:`buffer` protocol gives access to an object's memory.";
        assertTrue(java.util.Arrays.equals(plain, HashedNgrams.of(mail, 1 << 14, 100)), "mail headers");
        assertTrue(java.util.Arrays.equals(plain, HashedNgrams.of(html, 1 << 14, 100)), "HTML page");
        assertTrue(java.util.Arrays.equals(plain, HashedNgrams.of(rest, 1 << 14, 100)), "reST directive and role");
    }

    @Test
    void theFilterAssignsBucketsByScoreAndKindAndDropsLowScores() throws IOException {
        Map<DocumentKind, String> buckets = Map.of(DocumentKind.WEB, "web", DocumentKind.TEXTBOOK, "textbook",
                DocumentKind.CODE, "code", DocumentKind.SYNTHETIC, "synthetic");
        EduClassifier classifier = trained.classifier();
        LabelledText best = seeds.stream().filter(LabelledText::positive)
                .max((a, b) -> Double.compare(classifier.score(a.text()), classifier.score(b.text()))).orElseThrow();
        LabelledText worst = seeds.stream().filter(s -> !s.positive())
                .min((a, b) -> Double.compare(classifier.score(a.text()), classifier.score(b.text()))).orElseThrow();
        double high = classifier.score(best.text());
        double low = classifier.score(worst.text());
        assertTrue(high > low, high + " vs " + low);
        double textbookAt = (high + low) / 2;
        EduClassifierFilter filter = new EduClassifierFilter(classifier, textbookAt, 0.0, buckets);

        Verdict.Keep textbook = assertInstanceOf(Verdict.Keep.class, filter.apply(Document.of("a", best.text(), "s", DocumentKind.WEB)));
        assertEquals("textbook", textbook.document().metadata().get(DocumentFilter.BUCKET_KEY));
        assertEquals(high, textbook.score());
        Verdict.Keep web = assertInstanceOf(Verdict.Keep.class, filter.apply(Document.of("b", worst.text(), "s", DocumentKind.TEXTBOOK)));
        assertEquals("web", web.document().metadata().get(DocumentFilter.BUCKET_KEY));
        Verdict.Keep code = assertInstanceOf(Verdict.Keep.class, filter.apply(Document.of("c", worst.text(), "s", DocumentKind.CODE)));
        assertEquals("code", code.document().metadata().get(DocumentFilter.BUCKET_KEY));
        Verdict.Keep synthetic = assertInstanceOf(Verdict.Keep.class, filter.apply(Document.of("d", best.text(), "s", DocumentKind.SYNTHETIC)));
        assertEquals("synthetic", synthetic.document().metadata().get(DocumentFilter.BUCKET_KEY));

        EduClassifierFilter strict = new EduClassifierFilter(classifier, textbookAt, textbookAt, buckets);
        Verdict.Drop drop = assertInstanceOf(Verdict.Drop.class, strict.apply(Document.of("e", worst.text(), "s", DocumentKind.WEB)));
        assertEquals("low_edu_score", drop.reason());
        assertEquals(low, drop.score());
    }
}
