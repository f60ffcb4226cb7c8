package org.millrace.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.millrace.processing.CurationMetrics;
import org.millrace.training.TrainerMetrics;

class MetricsServerTest {

    @Test
    void servesJvmAndMillraceMetricsOnLoopback() throws Exception {
        // the series of buckets and runs exist from the start, at zero
        CurationMetrics.INSTANCE.initBuckets(java.util.List.of("web", "code"));
        TrainerMetrics.INSTANCE.initRun("metrics-test");
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            String body = response.body();
            assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics");
            assertTrue(body.contains("# TYPE millrace_curation_documents_in_total counter"), "documents in");
            assertTrue(body.contains("millrace_curation_batches_total{bucket=\"code\"} 0.0"), "batches out");
            assertTrue(body.contains("millrace_train_steps_total{run=\"metrics-test\"} 0.0"), "training steps");
        }
    }
}
