package org.millrace.processing.decontamination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
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
import org.millrace.common.Topics;
import org.millrace.common.evalsets.EvalItem;
import org.millrace.common.evalsets.EvalSetManifest;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.EvalTaskDefinition;
import org.millrace.common.evalsets.EvalTaskType;
import org.millrace.common.evalsets.HeldOutDocument;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.Curator;

/**
 * End to end through the Curator, with the pipeline from configuration and the evaluation sets read
 * from a registry directory on disk: an input document that quotes an evaluation item verbatim is
 * rejected by {@code decontaminate}; the others go on to curation.
 */
class DecontaminationCuratorTest {
    @TempDir
    Path dataDir;

    @Test
    void aDocumentHoldingAnEvaluationItemVerbatimIsRejectedAsContaminated() throws Exception {
        String doctestContext = ">>> sorted({'banana': 3, 'apple': 4, 'pear': 1, 'orange': 2}.items(), key=lambda kv: kv[1])\n";
        String doctestAnswer = "[('pear', 1), ('orange', 2), ('banana', 3), ('apple', 4)]";
        EvalSetManifest draft = new EvalSetManifest(EvalSetManifest.FORMAT_VERSION, 1, 1, "2025-01-01T00:00:00Z", Map.of(), Map.of(),
                List.of(new EvalTaskDefinition("doctest", EvalTaskType.EXACT_MATCH, 1, "", 0, null, "doctests", List.of("python-doc-rst"), null)),
                null, null);
        EvalSetRegistry.write(dataDir.resolve("eval"), draft,
                Map.of("doctest", List.of(EvalItem.exact("library/functions.rst.txt:10", "python-doc-rst", "x",
                        doctestContext + doctestAnswer, doctestContext, doctestAnswer))),
                List.<HeldOutDocument>of(), List.of());
        Config config = ConfigFactory.parseString("millrace.data-dir = \"" + dataDir + "\"\n"
                + "millrace.curation.pipeline = [size, decontaminate]").withFallback(ConfigFactory.load()).resolve();
        Topics topics = Topics.fromConfig(config);

        Document quoting = Document.of("blog-1", "My favourite Python trick:\n\n" + doctestContext + doctestAnswer + "\n\nNeat, isn't it?",
                "web", DocumentKind.WEB);
        Document clean = Document.of("blog-2", "Sorting a dictionary by value takes a key function; the items come back as pairs.",
                "web", DocumentKind.WEB);
        List<ConsumerRecord<String, byte[]>> group = List.of(
                new ConsumerRecord<>(topics.docsWeb(), 0, 0L, quoting.id(), DocumentCodec.encode(quoting)),
                new ConsumerRecord<>(topics.docsWeb(), 0, 1L, clean.id(), DocumentCodec.encode(clean)));

        long before = DecontaminationMetrics.INSTANCE.count("doctest", "contaminated");
        List<ProducerRecord<String, byte[]>> out;
        try (RootAllocator allocator = new RootAllocator()) {
            Curator curator = new Curator(CurationSettings.fromConfig(config, topics), topics, new ByteTokenizer(), allocator);
            out = curator.curate(group);
        }
        List<ProducerRecord<String, byte[]>> rejected = out.stream().filter(r -> r.topic().equals(topics.rejected())).toList();
        List<ProducerRecord<String, byte[]>> curated = out.stream().filter(r -> r.topic().equals(topics.curated())).toList();
        assertEquals(1, rejected.size());
        Rejection r = Json.read(rejected.get(0).value(), Rejection.class);
        assertEquals("blog-1", r.id());
        assertEquals("decontaminate", r.filter());
        assertTrue(r.reason().startsWith("contaminated: ") && r.reason().contains("doctest"), r.reason());
        assertEquals(List.of("blog-2"), curated.stream().map(ProducerRecord::key).toList());
        assertEquals(before + 1, DecontaminationMetrics.INSTANCE.count("doctest", "contaminated"));
    }
}
