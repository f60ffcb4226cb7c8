package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.Rejection;
import org.millrace.common.Settings;
import org.millrace.common.Topics;

/**
 * Bad records in one group with good ones, through the default pipeline (classifier aside): each bad
 * record becomes one rejection with a reason, and the good document after them is still curated.
 */
class CuratorBadInputTest {
    @TempDir
    Path dataDir;

    @Test
    void everyBadRecordIsRejectedWithAReasonAndTheGroupGoesOn() {
        Config config = ConfigFactory.parseMap(Map.of("millrace.data-dir", dataDir.toString(),
                "millrace.curation.pipeline", List.of("size", "html-extract", "normalize", "language", "gopher-quality",
                        "gopher-repetition", "c4-lines", "code-quality", "pii", "dedup", "decontaminate")))
                .withFallback(Settings.load(null)).resolve();
        Topics topics = Topics.fromConfig(config);
        StringBuilder binary = new StringBuilder();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 3000; i++) {
            binary.append((char) r.nextInt(0x20)).append((char) (0x80 + r.nextInt(0x60)));
        }
        String sentence = "The committee met on Tuesday and agreed that the new bridge should open in the spring. ";
        String huge = sentence.repeat(50 * 1024 * 1024 / sentence.length() + 1);
        String good = moby();
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("malformed-json", "{\"id\": \"x\", \"text\": \"unterminated".getBytes(StandardCharsets.UTF_8));
        records.put("no-text", "{\"id\": \"no-text\", \"source\": \"test\"}".getBytes(StandardCharsets.UTF_8));
        records.put("not-utf8", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, 0x28});
        records.put("not-json", "this is not JSON at all".getBytes(StandardCharsets.UTF_8));
        records.put("empty-record", new byte[0]);
        records.put("binary-text", DocumentCodec.encode(doc("binary-text", binary.toString())));
        records.put("blank-text", DocumentCodec.encode(doc("blank-text", " \n\t ")));
        records.put("huge", DocumentCodec.encode(doc("huge", huge)));
        records.put("good", DocumentCodec.encode(doc("good", good)));
        List<ConsumerRecord<String, byte[]>> group = new ArrayList<>();
        records.forEach((key, value) -> group.add(new ConsumerRecord<>(topics.docsWeb(), 0, group.size(), key, value)));

        Map<String, Rejection> rejected = new LinkedHashMap<>();
        List<String> curated = new ArrayList<>();
        try (RootAllocator allocator = new RootAllocator();
             Curator curator = new Curator(CurationSettings.fromConfig(config, topics), topics, new ByteTokenizer(), allocator)) {
            for (ProducerRecord<String, byte[]> out : curator.curate(group)) {
                if (out.topic().equals(topics.rejected())) {
                    Rejection x = Json.read(out.value(), Rejection.class);
                    rejected.put(x.id(), x);
                } else if (out.topic().equals(topics.curated())) {
                    curated.add(out.key());
                }
            }
        }
        assertEquals(List.of("good"), curated, "the good document after the bad ones is curated; rejected: " + rejected);
        assertEquals(8, rejected.size(), rejected.toString());
        String at = topics.docsWeb() + "/0/";
        assertEquals("decode", rejected.get(at + 0).filter());
        assertTrue(rejected.get(at + 0).reason().startsWith("not a valid Document JSON record"), rejected.get(at + 0).reason());
        assertTrue(rejected.get(at + 1).reason().startsWith("not a valid Document JSON record") && rejected.get(at + 1).reason()
                .contains("text"), rejected.get(at + 1).reason());
        assertEquals("record is not valid UTF-8", rejected.get(at + 2).reason());
        assertEquals("decode", rejected.get(at + 3).filter());
        assertEquals("empty record", rejected.get(at + 4).reason());
        assertTrue(!rejected.get("binary-text").reason().isBlank(), rejected.get("binary-text").toString());
        assertTrue(rejected.get("blank-text").reason().startsWith("empty"), rejected.get("blank-text").reason());
        assertTrue(rejected.get("huge").reason().startsWith("too_large: record of"), rejected.get("huge").reason());
        assertEquals("size", rejected.get("huge").filter());
    }

    private static String moby() {
        try (java.io.InputStream in = CuratorBadInputTest.class.getResourceAsStream("/filters/text/moby-dick-chapter-1.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Document doc(String id, String text) {
        return new Document(id, text, "test", DocumentKind.WEB, null, Map.of());
    }
}
