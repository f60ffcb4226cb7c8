package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.CuratedDocument;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.Rejection;
import org.millrace.common.Settings;
import org.millrace.common.Topics;

/** The default filter pipeline (reference.conf) through the Curator, on real samples. */
class CurationPipelineTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = CurationPipelineTest.class.getResourceAsStream("/filters/" + path)) {
            return new String(in.readAllBytes(), path.endsWith(".eml") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
    }

    private static Document doc(String id, String text, DocumentKind kind, String contentType) {
        return new Document(id, text, "test", kind, null, contentType == null ? Map.of() : Map.of("content_type", contentType));
    }

    private static double verdicts(String filter, String outcome, String reason) {
        return CurationMetrics.INSTANCE.filterVerdicts.labelValues(filter, outcome, reason).get();
    }

    @Test
    void documentsFlowThroughTheConfiguredFiltersIntoCuratedAndRejected() throws IOException {
        // the text filters of the default pipeline; dedup, decontamination and the classifier have tests of their own
        Config config = ConfigFactory.parseMap(Map.of("millrace.curation.pipeline", List.of("size", "html-extract",
                "normalize", "language", "gopher-quality", "gopher-repetition", "c4-lines", "code-quality", "pii")))
                .withFallback(ConfigFactory.load());
        Topics topics = Topics.fromConfig(config);
        CurationSettings settings = CurationSettings.fromConfig(config, topics);
        assertEquals(List.of("size", "html-extract", "normalize", "language", "gopher-quality", "gopher-repetition",
                "c4-lines", "code-quality", "pii"), settings.pipeline());

        String moby = resource("text/moby-dick-chapter-1.txt");
        List<Document> docs = List.of(
                doc("manual", resource("python-doc/html/tutorial/appetite.html"), DocumentKind.WEB, "text/html"),
                doc("novel", moby.replace("Call me Ishmael.", "Call me Ishmael (ishmael@pequod.example.org, 555-867-5309)."),
                        DocumentKind.WEB, null),
                doc("german", resource("text/german-mail.txt"), DocumentKind.WEB, null),
                doc("short", "Call me Ishmael.", DocumentKind.WEB, null),
                doc("generated", resource("code/token.py"), DocumentKind.CODE, "text/x-python"),
                doc("module", resource("code/colorsys.py"), DocumentKind.CODE, "text/x-python"),
                doc("textbook", moby.substring(0, 4000).replace("\n", "\r\n") + "\u0007", DocumentKind.TEXTBOOK, null));
        List<ConsumerRecord<String, byte[]>> group = new ArrayList<>();
        for (Document d : docs) {
            group.add(new ConsumerRecord<>(topics.docsWeb(), 0, group.size(), d.id(), DocumentCodec.encode(d)));
        }
        Map<String, Double> before = new HashMap<>();
        for (String[] key : new String[][] {{"html-extract", "modified", ""}, {"language", "dropped", "other_language"},
                {"gopher-quality", "dropped", "short_doc"}, {"code-quality", "dropped", "auto_generated"},
                {"pii", "modified", ""}, {"normalize", "modified", ""}, {"c4-lines", "modified", ""}}) {
            before.put(String.join("/", key), verdicts(key[0], key[1], key[2]));
        }

        Map<String, CuratedDocument> curated = new HashMap<>();
        Map<String, Rejection> rejected = new HashMap<>();
        try (RootAllocator allocator = new RootAllocator()) {
            Curator curator = new Curator(settings, topics, new ByteTokenizer(), allocator);
            for (ProducerRecord<String, byte[]> r : curator.curate(group)) {
                if (r.topic().equals(topics.curated())) {
                    curated.put(r.key(), Json.MAPPER.readValue(r.value(), CuratedDocument.class));
                } else if (r.topic().equals(topics.rejected())) {
                    rejected.put(r.key(), Json.MAPPER.readValue(r.value(), Rejection.class));
                }
            }
        }

        assertEquals(docs.size(), curated.size() + rejected.size(), "every document is curated or rejected once");
        assertEquals(List.of("manual", "module", "novel", "textbook"), curated.keySet().stream().sorted().toList());
        assertEquals("language", rejected.get("german").filter());
        assertTrue(rejected.get("german").reason().startsWith("other_language: detected de"), rejected.get("german").reason());
        assertEquals("gopher-quality", rejected.get("short").filter());
        assertEquals("code-quality", rejected.get("generated").filter());

        String manual = curated.get("manual").document().text();
        // Extracted, then cut by C4 to the lines that end a sentence (the page's title goes).
        assertTrue(manual.startsWith("If you do much work on computers, eventually you find that there"), manual.substring(0, 80));
        assertFalse(manual.contains("Previous topic"));
        assertFalse(manual.contains("Whetting Your Appetite"));
        String novel = curated.get("novel").document().text();
        assertTrue(novel.contains("Call me Ishmael (<EMAIL>, <PHONE>)."), novel.substring(0, 200));
        String textbook = curated.get("textbook").document().text();
        assertFalse(textbook.contains("\r") || textbook.contains("\u0007"));
        assertTrue(textbook.startsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael."));
        assertEquals("code", curated.get("module").bucket());

        assertEquals(1, verdicts("html-extract", "modified", "") - before.get("html-extract/modified/"));
        assertEquals(1, verdicts("language", "dropped", "other_language") - before.get("language/dropped/other_language"));
        assertEquals(1, verdicts("gopher-quality", "dropped", "short_doc") - before.get("gopher-quality/dropped/short_doc"));
        assertEquals(1, verdicts("code-quality", "dropped", "auto_generated") - before.get("code-quality/dropped/auto_generated"));
        assertEquals(1, verdicts("pii", "modified", "") - before.get("pii/modified/"));
        // Files ending in a line break (novel, german, both modules) and the CRLF textbook; the rest were clean.
        assertEquals(5, verdicts("normalize", "modified", "") - before.get("normalize/modified/"));
    }

    @Test
    void badFilterSettingsStopTheBuildWithTheKeyNamed() {
        Config config = ConfigFactory.parseString("millrace.curation.gopher-quality.min-alpha-words-ratio = 1.5")
                .withFallback(ConfigFactory.load()).resolve();
        CurationSettings settings = CurationSettings.fromConfig(config, Topics.fromConfig(config));
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class, () -> FilterRegistry.build(settings));
        assertTrue(e.getMessage().startsWith("millrace.curation.gopher-quality.min-alpha-words-ratio = 1.5 is invalid"),
                e.getMessage());
        Config unknown = ConfigFactory.parseString("millrace.curation.pipeline = [size, boilerplate]")
                .withFallback(ConfigFactory.load()).resolve();
        Settings.SettingsException u = assertThrows(Settings.SettingsException.class,
                () -> CurationSettings.fromConfig(unknown, Topics.fromConfig(unknown)));
        assertTrue(u.getMessage().contains("unknown filter 'boilerplate'"), u.getMessage());
    }
}
