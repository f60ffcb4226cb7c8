package org.millrace.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.ops.OneBroker;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.producers.synth.ProgrammaticSynth;

/** {@code millrace synth} in both modes into a real broker; teacher mode against a real local HTTP server. */
@ExtendWith(OneBroker.class)
class SynthCommandTest {
    @TempDir
    static Path tmp;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void broker(EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    private static CliRun synth(String prefix, String extraConfig, String... args) throws IOException {
        Path conf = CliRun.topicsConfig(tmp, prefix);
        Files.writeString(conf, extraConfig, java.nio.file.StandardOpenOption.APPEND);
        return CliRun.of(Stream.concat(Stream.of("synth", "--bootstrap-servers", broker.bootstrapServers(),
                "--data-dir", tmp.resolve("data").toString(), "--config", conf.toString()), Stream.of(args)).toArray(String[]::new));
    }

    @Test
    void programmaticDocumentsArePublishedReproduciblyWithGeneratorSeedAndPrompt() throws IOException {
        CliRun run = synth("prog", "", "--count", "40", "--seed", "7");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("glossary sections left out"), "no WordNet in an empty data dir: " + run.out());
        List<Document> docs = CliRun.documents(broker.bootstrapServers(), "prog.docs.synthetic");
        assertEquals(40, docs.size());
        ProgrammaticSynth same = new ProgrammaticSynth(7, Optional.empty());
        for (Document d : docs) {
            long index = ((Number) d.metadata().get("index")).longValue();
            Document expected = same.document(index);
            assertEquals(expected.id(), d.id());
            assertEquals(expected.text(), d.text());
            assertEquals(DocumentKind.SYNTHETIC, d.kind());
            assertEquals("programmatic", d.metadata().get("generator"));
            assertEquals(7L, ((Number) d.metadata().get("seed")).longValue());
            assertEquals(expected.metadata().get("prompt"), d.metadata().get("prompt"));
        }
        assertEquals(40, docs.stream().map(d -> d.metadata().get("index")).distinct().count());
    }

    @Test
    void teacherModeAsksAnOpenAiCompatibleEndpointAndPublishesItsAnswers() throws IOException {
        Set<String> prompts = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            String user = body.path("messages").path(1).path("content").asText();
            boolean first = prompts.add(user);
            byte[] out;
            int status;
            if (first && Math.floorMod(user.hashCode(), 2) == 0) {
                status = 429; // once for half the prompts: retried
                out = "{\"error\":{\"message\":\"slow down\"}}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                var reply = Json.MAPPER.createObjectNode();
                reply.putArray("choices").addObject().put("finish_reason", "stop").putObject("message")
                        .put("role", "assistant").put("content", "Lesson for " + body.path("model").asText() + ": " + user);
                out = Json.MAPPER.writeValueAsBytes(reply);
            }
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            CliRun run = synth("teach", "millrace.synth.teacher.initial-backoff = 10ms\n", "--mode", "teacher", "--teacher-url", url,
                    "--teacher-model", "tiny", "--count", "6", "--seed", "3", "--concurrency", "2", "--requests-per-second", "100");
            assertEquals(0, run.code(), run.out() + run.err());
            assertTrue(run.out().contains("retrying after HTTP 429"), run.out());
            List<Document> docs = CliRun.documents(broker.bootstrapServers(), "teach.docs.synthetic");
            assertEquals(prompts.size(), docs.size(), "one document per distinct prompt");
            assertEquals(prompts, docs.stream().map(d -> (String) d.metadata().get("prompt")).collect(Collectors.toSet()));
            for (Document d : docs) {
                assertEquals("Lesson for tiny: " + d.metadata().get("prompt"), d.text());
                assertEquals("teacher", d.metadata().get("generator"));
                assertEquals("tiny", d.metadata().get("model"));
                assertEquals(3L, ((Number) d.metadata().get("seed")).longValue());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableTeacherIsReportedPerPromptAndTheExitCodeSaysNothingWasPublished() throws IOException {
        CliRun run = synth("gone", "millrace.synth.teacher { max-retries = 1, initial-backoff = 10ms, timeout = 2s }\n",
                "--mode", "teacher", "--teacher-url", "http://127.0.0.1:1/v1", "--count", "2");
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains("prompt 0 failed: http://127.0.0.1:1/v1/chat/completions: connection failed"), run.out());
        assertTrue(run.out().contains("0 published"), run.out());
    }
}
