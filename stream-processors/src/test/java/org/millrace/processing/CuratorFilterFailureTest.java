package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
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
import org.millrace.common.Verdict;

/** A filter that throws on a document rejects that document with its reason; the group goes on. */
class CuratorFilterFailureTest {
    @TempDir
    Path dataDir;

    /** Fails on the documents its text names: a stack overflow (deep recursion) or an exception. */
    private static final DocumentFilter FRAGILE = new DocumentFilter() {
        @Override
        public String name() {
            return "fragile";
        }

        @Override
        public Verdict apply(Document document) {
            if (document.text().contains("recurse")) {
                return apply(document); // a filter recursing without end on what it was not written for
            }
            if (document.text().contains("bang")) {
                throw new IllegalStateException("cannot handle " + document.id());
            }
            return Verdict.keep(document);
        }
    };

    @Test
    void aThrowingFilterRejectsTheDocumentWithFilterFailed() {
        Config config = ConfigFactory.parseMap(Map.of("millrace.data-dir", dataDir.toString()))
                .withFallback(Settings.load(null)).resolve();
        Topics topics = Topics.fromConfig(config);
        CurationSettings settings = CurationSettings.fromConfig(config, topics);
        List<ConsumerRecord<String, byte[]>> group = List.of(
                record(0, Document.of("deep", "please recurse", "t", DocumentKind.WEB)),
                record(1, Document.of("fine", "an ordinary text", "t", DocumentKind.WEB)),
                record(2, Document.of("loud", "bang", "t", DocumentKind.WEB)));
        List<ProducerRecord<String, byte[]>> out;
        try (BufferAllocator allocator = new RootAllocator();
             Curator curator = new Curator(settings, topics, new ByteTokenizer(), allocator, List.of(FRAGILE))) {
            out = curator.curate(group);
        }
        List<Rejection> rejected = out.stream().filter(r -> r.topic().equals(topics.rejected()))
                .map(r -> Json.read(r.value(), Rejection.class)).toList();
        assertEquals(List.of("deep", "loud"), rejected.stream().map(Rejection::id).toList());
        assertTrue(rejected.stream().allMatch(r -> r.filter().equals("fragile")), rejected.toString());
        assertTrue(rejected.get(0).reason().startsWith("filter_failed: StackOverflowError"), rejected.get(0).reason());
        assertEquals("filter_failed: IllegalStateException: cannot handle loud", rejected.get(1).reason());
        assertEquals(List.of("fine"), out.stream().filter(r -> r.topic().equals(topics.curated())).map(ProducerRecord::key).toList());
    }

    private static ConsumerRecord<String, byte[]> record(long offset, Document d) {
        return new ConsumerRecord<>("millrace.docs.web", 0, offset, d.id(), DocumentCodec.encode(d));
    }
}
