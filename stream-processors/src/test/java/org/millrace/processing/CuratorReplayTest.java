package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** A group curated again after a crash (same records, same dedup store) gives the same records. */
class CuratorReplayTest {
    @TempDir
    Path dataDir;

    private Config config() {
        return ConfigFactory.parseMap(Map.of("millrace.data-dir", dataDir.toString(),
                "millrace.curation.pipeline", List.of("size", "dedup"))).withFallback(Settings.load(null)).resolve();
    }

    private static List<ConsumerRecord<String, byte[]>> group(Document... docs) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long offset = 40;
        for (Document d : docs) {
            records.add(new ConsumerRecord<>("millrace.docs.web", 0, offset++, d.id(), DocumentCodec.encode(d)));
        }
        return records;
    }

    @Test
    void aReplayedGroupGivesTheSameCuratedRejectedAndBatchRecords() throws IOException {
        String chapter1 = DedupFilterTest.sample("moby-dick-chapter-1.txt");
        String chapter2 = DedupFilterTest.sample("moby-dick-chapter-2.txt");
        List<ConsumerRecord<String, byte[]>> group = group(
                Document.of("a", chapter1, "moby-dick", DocumentKind.WEB),
                Document.of("b", chapter1.replace("Ishmael", "ISHMAEL!"), "moby-dick", DocumentKind.WEB),
                Document.of("c", DedupFilterTest.edited(chapter1), "moby-dick", DocumentKind.WEB),
                Document.of("d", chapter2, "moby-dick", DocumentKind.TEXTBOOK));
        Config config = config();
        Topics topics = Topics.fromConfig(config);
        CurationSettings settings = CurationSettings.fromConfig(config, topics);
        List<ProducerRecord<String, byte[]>> first;
        List<ProducerRecord<String, byte[]>> replayed;
        List<ProducerRecord<String, byte[]>> afterRestart;
        try (BufferAllocator allocator = new RootAllocator()) {
            try (Curator curator = new Curator(settings, topics, new ByteTokenizer(), allocator)) {
                first = curator.curate(group);
                replayed = curator.curate(group); // the transaction aborted after the store was written
            }
            try (Curator restarted = new Curator(settings, topics, new ByteTokenizer(), allocator)) {
                afterRestart = restarted.curate(group); // the process died: a new curator, the same store
            }
        }
        List<String> rejected = first.stream().filter(r -> r.topic().equals(topics.rejected()))
                .map(r -> Json.read(r.value(), Rejection.class).reason().split(":")[0]).toList();
        assertEquals(List.of("exact_duplicate", "near_duplicate"), rejected);
        assertEquals(List.of("a", "d"), first.stream().filter(r -> r.topic().equals(topics.curated())).map(ProducerRecord::key).toList());
        for (List<ProducerRecord<String, byte[]>> again : List.of(replayed, afterRestart)) {
            assertEquals(first.size(), again.size());
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).topic(), again.get(i).topic());
                assertEquals(first.get(i).key(), again.get(i).key());
                assertArrayEquals(first.get(i).value(), again.get(i).value(), "record " + i + " on " + first.get(i).topic());
            }
        }
    }
}
