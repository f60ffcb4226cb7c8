package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.TokenBatch;
import org.millrace.common.TokenBatchCodec;
import org.millrace.common.Topics;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.MillraceRun;
import org.millrace.ops.run.ProgressLine;
import org.millrace.ops.run.RunSummary;
import org.millrace.ops.run.TopicReader;

/**
 * The whole loop against the real embedded broker: documents in, curated, packed into Arrow batches,
 * trained on by a DJL GPT, evaluated, results back on Kafka; then a second run on the same data
 * directory resumes from the checkpoint and does not publish the documents again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonTest {
    @TempDir
    static Path dataDir;

    private static Config config(long maxSteps) {
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put("millrace.data-dir", dataDir.toString());
        // the checkout's own documents: fast and offline (CorpusRunTest trains on a corpus)
        settings.put("millrace.run.documents", "seed");
        // the whole pipeline but the classifier, whose first use trains it on the fetched corpus
        settings.put("millrace.curation.pipeline", List.of("size", "html-extract", "normalize", "language",
                "gopher-quality", "gopher-repetition", "c4-lines", "code-quality", "pii", "dedup", "decontaminate"));
        settings.put("millrace.metrics.port", 0);
        // the byte tokenizer keeps this test's model tiny and its loss bounds simple
        settings.put("millrace.tokenizer.kind", "byte");
        settings.put("millrace.model.preset", "tiny");
        settings.put("millrace.model.context-length", 64);
        settings.put("millrace.curation.seq-len", 64);
        settings.put("millrace.optim.warmup-steps", 5);
        settings.put("millrace.optim.learning-rate", 3e-3);
        settings.put("millrace.trainer.max-steps", maxSteps);
        settings.put("millrace.trainer.checkpoint-every", 10);
        settings.put("millrace.trainer.event-every", 5);
        return ConfigFactory.parseMap(settings)
                .withFallback(Settings.load(null)).resolve();
    }

    private static RunSummary run(long maxSteps) throws Exception {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        MillraceRun run = new MillraceRun(new MillraceRun.Options(config(maxSteps), dataDir, Path.of("..").toAbsolutePath().normalize()),
                new ProgressLine(new PrintStream(terminal, true)));
        return run.execute();
    }

    @Test
    @Order(1)
    void theLoopRunsEndToEndAndReportsWhatKafkaHolds() throws Exception {
        RunSummary summary = run(30);
        assertEquals(30, summary.steps());
        assertTrue(summary.tokens() > 0);
        assertTrue(Double.isFinite(summary.finalLoss()), "final loss " + summary.finalLoss());
        assertTrue(summary.docs().ingested() > 10, "documents ingested: " + summary.docs());
        assertEquals(summary.docs().ingested(), summary.docs().kept() + summary.docs().rejected(),
                "every document is curated or rejected, once");
        assertTrue(summary.filters().containsKey("size"), "funnel " + summary.filters());

        try (EmbeddedKafkaBroker broker = restartedBroker()) {
            Map<String, Object> kafka = KafkaClients.properties(config(1), broker.bootstrapServers(), Map.of());
            Topics topics = Topics.fromConfig(config(1));
            int rows = 0;
            try (BufferAllocator allocator = new RootAllocator()) {
                for (String topic : topics.batchTopics()) {
                    for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, topic, Duration.ofSeconds(30))) {
                        try (TokenBatchCodec.Decoded d = TokenBatchCodec.decode(r.value(), allocator)) {
                            TokenBatch b = d.toTokenBatch();
                            assertEquals(ByteTokenizer.NAME, b.tokenizer());
                            assertEquals(64, b.seqLen());
                            assertEquals(topics.bucketOf(topic), b.bucket());
                            rows += b.rowCount();
                        }
                    }
                }
            }
            assertTrue(rows > 30, "packed rows on the batch topics: " + rows);

            List<EvalResult> results = TopicReader.readAll(kafka, topics.evalResults(), Duration.ofSeconds(30)).stream()
                    .map(r -> Json.read(r.value(), EvalResult.class)).filter(r -> r.metric().equals("loss")).toList();
            assertFalse(results.isEmpty(), "evaluation results on " + topics.evalResults());
            EvalResult first = results.get(0);
            EvalResult last = results.get(results.size() - 1);
            assertEquals(30, last.step(), "the last checkpoint is evaluated");
            assertTrue(Double.isFinite(last.value()));
            assertTrue(last.value() < Math.log(257), "held-out loss below chance: " + last.value());
            assertTrue(last.value() < first.value() || first.step() == last.step(),
                    "held-out loss falls over the run: " + first.value() + " at step " + first.step() + " → " + last.value());
        }
    }

    @Test
    @Order(2)
    void aSecondRunOnTheSameDataResumesAndReusesTheBrokersData() throws Exception {
        RunSummary summary = run(5);
        assertEquals(35, summary.steps(), "resumed from the step-30 checkpoint");
        assertTrue(summary.docs().ingested() > 10);
        assertEquals(summary.docs().ingested(), summary.docs().kept() + summary.docs().rejected());
        assertTrue(summary.eval().stream().anyMatch(e -> e.step() == 35));
        assertTrue(summary.eval().stream().anyMatch(e -> e.step() == 30), "results of the first run are still on Kafka");
    }

    private static EmbeddedKafkaBroker restartedBroker() {
        return EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dataDir));
    }
}
