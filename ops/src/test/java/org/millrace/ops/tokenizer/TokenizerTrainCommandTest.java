package org.millrace.ops.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.CuratedDocument;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.Main;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.run.SeedDocuments;
import org.millrace.processing.tokenizer.HfBpeTokenizer;

/** {@code millrace tokenizer train} on files and on the curated topic of a real broker. */
class TokenizerTrainCommandTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void trainsOnFilesAndRefusesToReplaceWithoutForce() throws Exception {
        Path out = dir.resolve("tok/tokenizer.json");
        String[] args = {"tokenizer", "train", "--data-dir", dir.toString(), "--input", REPO.resolve("README.md").toString(),
                REPO.resolve("common/src/main/java").toString(), "--vocab-size", "400", "--output", out.toString()};
        assertEquals(0, Main.execute(args));
        String first = Files.readString(out);
        try (HfBpeTokenizer t = HfBpeTokenizer.load(out)) {
            assertEquals(400, t.vocabSize());
            assertTrue(t.name().startsWith("bpe-400-"), t.name());
            String text = Files.readString(REPO.resolve("README.md"));
            assertEquals(text, t.decode(t.encode(text)));
        }
        assertEquals(2, Main.execute(args), "an existing tokenizer is kept");
        assertEquals(first, Files.readString(out));
        String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
        forced[args.length] = "--force";
        assertEquals(0, Main.execute(forced));
        assertEquals(first, Files.readString(out), "the same text trains the same tokenizer");
    }

    @Test
    void trainsOnTheCuratedTopicByDefault() throws Exception {
        Path brokerDir = dir.resolve("broker");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(brokerDir))) {
            Config config = ConfigFactory.parseMap(Map.of("millrace.kafka.bootstrap-servers", broker.bootstrapServers()))
                    .withFallback(Settings.load(null)).resolve();
            Topics topics = Topics.fromConfig(config);
            List<Document> docs = SeedDocuments.read(REPO);
            try (KafkaConnection kafka = KafkaConnection.open(config, dir)) {
                kafka.ensureTopics(topics);
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(),
                        new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(topics.curated(), "junk", "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    for (Document d : docs.subList(0, Math.min(60, docs.size()))) {
                        producer.send(new ProducerRecord<>(topics.curated(), d.id(),
                                Json.write(new CuratedDocument(d, Map.of(), "code", 0))));
                    }
                    producer.flush();
                }
            }
            Path dataDir = dir.resolve("data");
            assertEquals(0, Main.execute("tokenizer", "train", "--data-dir", dataDir.toString(), "--bootstrap-servers",
                    broker.bootstrapServers(), "--vocab-size", "512", "--sample-bytes", "200kB"));
            Path written = dataDir.resolve("tokenizer/tokenizer.json");
            try (HfBpeTokenizer t = HfBpeTokenizer.load(written)) {
                assertEquals(512, t.vocabSize());
                String text = docs.get(0).text();
                int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                assertTrue(t.encode(text).length < 0.65 * bytes, "compresses curated text");
            }
        }
    }

    @Test
    void badOptionsAreNamed() {
        assertEquals(2, Main.execute("tokenizer", "train", "--data-dir", dir.toString(), "--input", "README.md", "--vocab-size", "12"));
        assertEquals(2, Main.execute("tokenizer", "train", "--data-dir", dir.toString(), "--input", "README.md", "--sample-bytes", "lots"));
    }
}
