package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Json;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.common.TrainEvent;
import org.millrace.ops.Main;
import org.millrace.ops.broker.BrokerOptions;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.ops.broker.TopicBootstrap;
import org.millrace.ops.broker.TopicSpec;
import org.millrace.serving.ServingService;
import org.millrace.serving.ServingSettings;
import org.millrace.serving.TokenizerLoader;
import org.millrace.training.TrainEventPublisher;
import org.millrace.training.TrainingLoop;
import org.millrace.training.checkpoint.CheckpointManifest;
import org.millrace.training.checkpoint.CheckpointStore;
import org.millrace.training.model.Gpt;
import org.millrace.training.model.GptConfig;
import org.millrace.training.model.GptParameters;

/**
 * Serving follows a run through the real broker: a checkpoint event on the train events topic swaps the
 * newer model in while clients keep asking, and none of them fails; the served checkpoint then exports
 * through {@code millrace export}.
 */
class ServingFollowsCheckpointsTest {
    private static final GptConfig TINY = new GptConfig(257, 64, 32, 2, 2, 0.0, true);
    private static final String TOPIC = "it.serving.train.events";

    @Test
    void aCheckpointEventSwapsTheModelWhileRequestsRun(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        writeCheckpoint(checkpoints, 1, 1);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.onFreePort(dir.resolve("broker")))) {
            Config config = ConfigFactory.parseMap(Map.of("millrace.serving.port", 0)).withFallback(Settings.load(null));
            Map<String, Object> kafka = KafkaClients.properties(config, broker.bootstrapServers(), Map.of());
            try (Admin admin = Admin.create(kafka)) {
                TopicBootstrap.ensure(admin, List.of(TopicSpec.of(TOPIC, 1)));
            }
            ServingService.Source source = new ServingService.Source(null, checkpoints, "it", kafka, TOPIC);
            try (ServingService service = ServingService.start(config, ServingSettings.fromConfig(config), source,
                    TokenizerLoader.builtIn(), Device.cpu());
                 TrainEventPublisher events = new TrainEventPublisher(kafka, TOPIC)) {
                assertTrue(service.followsEvents());
                assertEquals("it:step-1", modelId(service.baseUrl()));
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<String> failures = new CopyOnWriteArrayList<>();
                List<String> served = new CopyOnWriteArrayList<>();
                AtomicBoolean asking = new AtomicBoolean(true);
                Thread asker = new Thread(() -> {
                    while (asking.get()) {
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/completions"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"go\", \"max_tokens\": 20}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                failures.add(r.statusCode() + " " + r.body());
                            } else {
                                served.add(Json.MAPPER.readTree(r.body()).get("model").asText());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                });
                asker.start();
                // the swap is to happen while requests run: wait until the first model has answered one
                long firstDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (served.isEmpty() && failures.isEmpty() && System.nanoTime() < firstDeadline) {
                    Thread.sleep(20);
                }
                Path second = writeCheckpoint(checkpoints, 2, 2);
                events.publish(new TrainEvent("other-run", TrainEvent.CHECKPOINT, 9, 9, 1.0, second.toString(), 0L));
                events.publish(new TrainEvent("it", TrainEvent.CHECKPOINT, 2, 2000, 5.0, second.toString(),
                        System.currentTimeMillis()));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!served.contains("it:step-2") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                asking.set(false);
                asker.join(60_000);
                assertEquals(List.of(), failures);
                assertTrue(served.contains("it:step-1") && served.contains("it:step-2"), "served " + served);
                assertEquals("it:step-2", modelId(service.baseUrl()));

                Path out = dir.resolve("hf");
                assertEquals(0, Main.execute("export", second.toString(), "--format", "hf", "--out", out.toString()));
                for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
                    assertTrue(Files.size(out.resolve(file)) > 0, file);
                }
                assertEquals(2, Main.execute("export", second.toString(), "--format", "onnx", "--out", out.toString()));
            }
        }
    }

    private static String modelId(String baseUrl) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode data = Json.MAPPER.readTree(r.body()).get("data");
        return data.get(0).get("id").asText();
    }

    private static Path writeCheckpoint(Path checkpoints, long step, long seed) {
        CheckpointManifest manifest = CheckpointManifest.modelOnly("it", step, step * 100,
                ByteTokenizer.NAME, TrainingLoop.modelDescription(TINY), seed, 5.0, System.currentTimeMillis());
        return new CheckpointStore(checkpoints, "it", 5).write(manifest, d -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Gpt gpt = new Gpt(TINY);
                gpt.initialize(manager, seed);
                GptParameters.save(gpt, TrainingLoop.parametersFile(d));
            }
        });
    }
}
