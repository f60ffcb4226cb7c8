package org.millrace.serving;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.millrace.common.Json;

/** A server over a checkpoint of a tiny model, and an HTTP client speaking to it. */
final class ServingFixture implements AutoCloseable {
    final Path checkpoints;
    final ModelSlot slot = new ModelSlot();
    final CheckpointReloader reloader = new CheckpointReloader(slot, TokenizerLoader.builtIn(), Device.cpu());
    final OpenAiServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    ServingFixture(Path dir, ServingSettings settings) {
        this(dir, settings, ConfigFactory.load());
    }

    /** @param config the root configuration the server reads its pekko-http settings from */
    ServingFixture(Path dir, ServingSettings settings, com.typesafe.config.Config config) {
        // one intra-op thread: a 40k-parameter model gains nothing from more, and on a shared 2-core
        // machine spinning engine threads slow every step many times over
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        checkpoints = dir.resolve("checkpoints");
        reloader.loadNow(TestCheckpoints.write(checkpoints, "test", 1, TestCheckpoints.TINY, 7));
        server = OpenAiServer.start(settings, slot, config);
    }

    /** Port 0, no token, 32 KiB bodies, max_tokens up to 100 (default 8), queue 8, 8 sequences in batches of 4. */
    static ServingSettings settings() {
        return new ServingSettings("127.0.0.1", 0, "", 32 * 1024, 100, 8, 8, 8, 4, Duration.ofMillis(2),
                Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return client.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    @Override
    public void close() {
        server.close();
        reloader.close();
        slot.close();
    }
}
